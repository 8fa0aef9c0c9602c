import PSNCore

extension CommandSpec {
  static let eval = CommandSpec(
    "eval", group: .training, summary: "loss, accuracy and per-class accuracy of a model on a split",
    keys: [
      KeySpec("split", .choice(["test", "validation", "train"]), default: "test", "which part of the dataset"),
      KeySpec("model", .name(.model), "the model (default: the current one)"),
      KeySpec("data", .name(.dataset), "the dataset (default: the current one)"),
      KeySpec("threads", .int(1...64), "kernel threads (default: $PSN_THREADS, else 2)"),
    ],
    examples: ["eval", "eval split=validation model=m2"],
    handler: { ctx in
      let inv = ctx.invocation
      let (modelName, model) = try ctx.workspace.model(try inv.string("model"))
      let (dataName, data) = try ctx.workspace.dataset(try inv.string("data"))
      let d = data.data
      guard model.model.inputCount == d.featureCount, model.model.classCount == d.classCount else {
        throw ShellError("\(modelName) (\(describe(model.model))) does not fit \(dataName) (\(d.featureCount) features, \(d.classCount) classes)")
      }
      let splitName = try inv.string("split")!
      let split: Dataset.Split
      switch splitName {
      case "train": split = d.train
      case "validation":
        guard let v = d.validation else {
          throw ShellError("\(dataName) has no validation split (load it with val=0.1)", at: inv.settings["split"]?.location)
        }
        split = v
      default: split = d.test
      }
      let threads = try inv.int("threads") ?? ctx.interpreter.environment["PSN_THREADS"].flatMap(Int.init) ?? 2
      let e = model.model.evaluate(features: split.features, labels: split.labels, threads: threads)
      ctx.print("\(modelName) on \(dataName) \(splitName) (\(e.count) samples): accuracy \(Format.percent(e.accuracy)), loss \(Format.fixed(e.loss, 4))")
      var table = Table(["class", "name", "samples", "accuracy"])
      for c in 0..<d.classCount {
        table.add([String(c), d.classNames?[c] ?? "", String(e.perClassCount[c]), Format.percent(e.perClassAccuracy[c])])
      }
      ctx.print(table.render(indent: "  "))
      return .obj([
        ("model", modelName.json), ("dataset", dataName.json), ("split", splitName.json), ("samples", e.count.json),
        ("accuracy", e.accuracy.json), ("loss", e.loss.json),
        ("per_class_accuracy", .array(e.perClassAccuracy.map { $0.map(JSONValue.number) ?? .null })),
      ])
    })
}
