import Foundation
import PSNCore

extension CommandSpec {
  /// Keys every source takes.
  private static let loadKeys: [KeySpec] = [
    KeySpec("dir", .path, "a directory holding the files (default: $PSN_DATA, then the standard places; see docs/data.md)"),
    KeySpec("val", .string, default: "0", "validation split carved from train: a fraction (0.1) or a count (5000)"),
    KeySpec("seed", .int(0...Int.max), "seeds the validation split and the synthetic task (default: $seed, else 1)"),
    KeySpec("as", .name(.dataset), "name in the workspace (default: the source's name)"),
  ]

  private static func loadSource(_ kind: DataSourceKind) -> CommandSpec {
    let (summary, keys): (String, [KeySpec]) = switch kind {
    case .fashion:
      ("Fashion-MNIST: 60000+10000 28×28 clothing images, 10 classes (Debian dataset-fashion-mnist)", [])
    case .mnist:
      ("MNIST digits: 60000+10000 28×28 images, 10 classes (IDX .gz files under $PSN_DATA)", [])
    case .emnist:
      ("EMNIST handwritten characters (IDX .gz files under $PSN_DATA)",
       [KeySpec("split", .choice(EMNISTSplit.allCases.map(\.rawValue)), default: "balanced", "which EMNIST split")])
    case .covtype:
      ("UCI Forest CoverType: 54 features, 7 classes, standardised (covtype.data.gz under $PSN_DATA)", [])
    case .synthetic:
      ("a seeded Gaussian-cluster task, for quick experiments and tests", syntheticKeys)
    }
    return CommandSpec(kind.rawValue, group: .data, summary: summary, keys: keys, handler: { ctx in try load(kind, ctx) })
  }

  private static let syntheticKeys: [KeySpec] = {
    let d = SyntheticSpec()
    return [
      KeySpec("n", .int(2...Int.max), default: "\(d.n)", "samples in train + test"),
      KeySpec("features", .int(1...Int.max), default: "\(d.features)", "input features"),
      KeySpec("classes", .int(2...Int.max), default: "\(d.classes)", "classes"),
      KeySpec("clusters", .int(1...Int.max), default: "\(d.clusters)", "Gaussian clusters per class"),
      KeySpec("informative", .int(1...Int.max), "features that carry class information (default: all)"),
      KeySpec("separation", .double(0...1e6), default: Format.number(d.separation), "distance of cluster centres from the origin"),
      KeySpec("noise", .double(1e-9...1e6), default: Format.number(d.noise), "standard deviation around each centre"),
      KeySpec("test", .double(0...1), default: Format.number(d.testFraction), "fraction of samples in the test set"),
    ]
  }()

  static let load = CommandSpec(
    "load", group: .data, summary: "load a dataset and make it current",
    details: "Sources and their files: docs/data.md. A missing file gives the exact files expected and every place looked.",
    keys: loadKeys, subcommands: DataSourceKind.allCases.map(loadSource), subcommandNoun: "data source",
    examples: ["load fashion", "load fashion val=0.1", "load synthetic n=2000 features=20 classes=4 as=toy", "load emnist split=letters"])

  private static func load(_ kind: DataSourceKind, _ ctx: CommandContext) throws -> JSONValue? {
    let inv = ctx.invocation
    let source: DataSource
    switch kind {
    case .fashion: source = .fashion
    case .mnist: source = .mnist
    case .covtype: source = .covtype
    case .emnist:
      source = .emnist(split: try inv.choice("split", as: EMNISTSplit.self)!)
    case .synthetic:
      var spec = SyntheticSpec()
      spec.n = try inv.int("n")!
      spec.features = try inv.int("features")!
      spec.classes = try inv.int("classes")!
      spec.clusters = try inv.int("clusters")!
      spec.informative = try inv.int("informative")
      spec.separation = try inv.double("separation")!
      spec.noise = try inv.double("noise")!
      spec.testFraction = try inv.double("test")!
      source = .synthetic(spec)
    }
    let validation: ValidationSplit
    do {
      validation = try ValidationSplit(parsing: inv.raw("val")!)
    } catch {
      throw ShellError(error, at: inv.settings["val"]?.location)
    }
    let request = DataRequest(source, directory: try inv.string("dir").map(ctx.interpreter.resolvePath), validation: validation, seed: try ctx.seed())
    let data = try DataLoader.load(request, environment: ctx.interpreter.environment)
    let name = try inv.string("as") ?? data.name
    try ctx.workspace.put(.dataset(DatasetObject(request: request, data: data)), as: name)
    let val = data.validation.map { " / \($0.count) validation" } ?? ""
    let origin = kind == .synthetic ? "" : "  (from \(shortSource(data.source)))"
    ctx.print("\(name): \(data.train.count) train\(val) / \(data.test.count) test, \(data.featureCount) features, \(data.classCount) classes\(origin)")
    return datasetJSON(name, data)
  }

  /// A dataset's source for one line: its files' common directory when they share one.
  static func shortSource(_ source: String) -> String {
    let paths = source.components(separatedBy: ", ")
    let directories = Set(paths.map { ($0 as NSString).deletingLastPathComponent })
    guard paths.count > 1, directories.count == 1, let directory = directories.first, !directory.isEmpty else { return source }
    return directory + "/"
  }

  static func datasetJSON(_ name: String, _ data: Dataset) -> JSONValue {
    .obj([
      ("dataset", name.json), ("source", data.name.json), ("train", data.train.count.json),
      ("validation", data.validation?.count.json), ("test", data.test.count.json),
      ("features", data.featureCount.json), ("classes", data.classCount.json), ("from", data.source.json),
    ])
  }
}
