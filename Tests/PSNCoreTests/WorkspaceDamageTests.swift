import Foundation
import Testing

@testable import PSNCore

/// `open` of a foreign, damaged or hand-edited directory: an error naming the file and what is
/// wrong, for every kind of damage, and never a trap on random damage.
@Suite struct WorkspaceDamageTests {
  static let damaged = "the save is damaged or was edited by hand; restore it or save again"

  // MARK: Editing a save

  /// Rewrites one safetensors file of the save after `edit`.
  static func editTensors(_ workspace: URL, _ path: String, _ edit: (inout SafeTensorsFile) -> Void)
    throws
  {
    let url = workspace.appendingPathComponent(path)
    var file = try SafeTensorsFile(contentsOf: url)
    edit(&file)
    try file.write(to: url)
  }

  /// Rewrites one JSON file of the save after `edit` on its top-level object.
  static func editJSON(_ workspace: URL, _ path: String, _ edit: (inout [String: Any]) -> Void)
    throws
  {
    let url = workspace.appendingPathComponent(path)
    var object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    edit(&object)
    try JSONSerialization.data(withJSONObject: object).write(to: url)
  }

  /// Replaces a tensor's values, keeping its dtype and shape.
  static func replace<T: SafeTensorElement>(
    _ name: String, in file: inout SafeTensorsFile, _ change: (inout [T]) -> Void
  ) {
    let tensor = file[name]!
    var values = tensor.values(as: T.self)!
    change(&values)
    file[name] = SafeTensor(values, shape: tensor.shape)
  }

  /// The first row of layer 0's mask with at least two connections, and its first position.
  static func rowWithTwoInputs(_ snapshot: WorkspaceSnapshot) -> (row: Int, position: Int) {
    let mask = snapshot.models[0].model.layers[0].mask!
    let j = (0..<mask.nOut).first { mask.fanIn($0) >= 2 }!
    return (j, Int(mask.rowStart[j]))
  }

  struct Damage: Sendable, CustomTestStringConvertible {
    var testDescription: String
    /// Damages the save at the URL.
    var apply: @Sendable (URL, WorkspaceSnapshot) throws -> Void
    /// The file the error must name, relative to the save.
    var file: String
    /// The whole message after "FILE: ", or for a safetensors error the problem.
    var expected: Expected
  }

  enum Expected: Sendable {
    case message(String)
    case tensors(SafeTensorsError.Problem)
    case prefix(String)
  }

  static let damages: [Damage] = [
    Damage(
      testDescription: "manifest is not JSON",
      apply: { ws, _ in
        try Data("{ \"format\": psn".utf8).write(to: ws.appendingPathComponent("manifest.json"))
      },
      file: "manifest.json", expected: .prefix("malformed JSON: not valid JSON")),
    Damage(
      testDescription: "manifest of another tool",
      apply: { ws, _ in
        try Data(#"{"name": "my-package"}"#.utf8).write(
          to: ws.appendingPathComponent("manifest.json"))
      },
      file: "manifest.json",
      expected: .message(
        "not a psn workspace manifest: its format is '(none)', expected 'psn-workspace' (open a directory written by `save`)"
      )),
    Damage(
      testDescription: "newer format version",
      apply: { ws, _ in
        try editJSON(ws, "manifest.json") {
          $0["version"] = 2
          $0["psnVersion"] = "9.0.0"
        }
      },
      file: "manifest.json",
      expected: .message(
        "workspace format version 2 (saved by psn 9.0.0); this psn \(PSNVersion.current) reads version 1 (open it with the psn that saved it)"
      )),
    Damage(
      testDescription: "manifest field of the wrong type",
      apply: { ws, _ in try editJSON(ws, "manifest.json") { $0["variables"] = ["seed": 7] } },
      file: "manifest.json",
      expected: .message("malformed JSON: at 'variables'.'seed': expected a string (\(damaged))")),
    Damage(
      testDescription: "file name leaving the save",
      apply: { ws, _ in
        try editJSON(ws, "manifest.json") {
          var models = $0["models"] as! [[String: Any]]
          models[0]["file"] = "../../outside"
          $0["models"] = models
        }
      },
      file: "manifest.json",
      expected: .message(
        "models entry 'sparse' names the file '../../outside', which is not a plain file name (\(damaged))"
      )),
    Damage(
      testDescription: "missing model JSON",
      apply: { ws, _ in
        try FileManager.default.removeItem(at: ws.appendingPathComponent("models/sparse.json"))
      },
      file: "models/sparse.json", expected: .prefix("cannot read: open ")),
    Damage(
      testDescription: "missing run tensors",
      apply: { ws, _ in
        try FileManager.default.removeItem(at: ws.appendingPathComponent("runs/rigl1.safetensors"))
      },
      file: "runs/rigl1.safetensors", expected: .prefix("cannot read: open ")),
    Damage(
      testDescription: "truncated model tensors",
      apply: { ws, _ in
        let url = ws.appendingPathComponent("models/sparse.safetensors")
        try Data(try Data(contentsOf: url).dropLast(7)).write(to: url)
      },
      file: "models/sparse.safetensors", expected: .prefix("tensor '")),
    Damage(
      testDescription: "missing tensor",
      apply: { ws, _ in
        try editTensors(ws, "models/sparse.safetensors") { $0["layers.1.bias"] = nil }
      },
      file: "models/sparse.safetensors", expected: .tensors(.missingTensor("layers.1.bias"))),
    Damage(
      testDescription: "tensor of the wrong shape",
      apply: { ws, _ in
        try editTensors(ws, "models/sparse.safetensors") {
          $0["layers.0.bias"] = SafeTensor([Float](repeating: 0, count: 15))
        }
      },
      file: "models/sparse.safetensors",
      expected: .tensors(.shapeMismatch(tensor: "layers.0.bias", stored: [15], expected: [16]))),
    Damage(
      testDescription: "tensor of the wrong dtype",
      apply: { ws, _ in
        try editTensors(ws, "models/sparse.safetensors") {
          $0["layers.0.row_start"] = SafeTensor(
            $0["layers.0.row_start"]!.values(as: Int32.self)!.map(Int64.init))
        }
      },
      file: "models/sparse.safetensors",
      expected: .tensors(
        .dtypeMismatch(tensor: "layers.0.row_start", stored: .int64, expected: .int32))),
    Damage(
      testDescription: "mask row out of order",
      apply: { ws, s in
        let (_, p) = rowWithTwoInputs(s)
        try editTensors(ws, "models/sparse.safetensors") {
          replace("layers.0.columns", in: &$0) { (c: inout [Int32]) in c.swapAt(p, p + 1) }
        }
      },
      file: "models/sparse.safetensors", expected: .prefix("mask 'layers.0': row ")),
    Damage(
      testDescription: "mask input listed twice",
      apply: { ws, s in
        let (_, p) = rowWithTwoInputs(s)
        try editTensors(ws, "models/sparse.safetensors") {
          replace("layers.0.columns", in: &$0) { (c: inout [Int32]) in c[p + 1] = c[p] }
        }
      },
      file: "models/sparse.safetensors", expected: .prefix("mask 'layers.0': row ")),
    Damage(
      testDescription: "mask input out of range",
      apply: { ws, _ in
        try editTensors(ws, "models/sparse.safetensors") {
          replace("layers.0.columns", in: &$0) { (c: inout [Int32]) in c[0] = 12 }
        }
      },
      file: "models/sparse.safetensors",
      expected: .message("mask 'layers.0': row 0 connects input 12, outside 0..<12 (\(damaged))")),
    Damage(
      testDescription: "mask row offsets decrease",
      apply: { ws, _ in
        try editTensors(ws, "profiles/ln1.safetensors") {
          replace("masks.1.row_start", in: &$0) { (r: inout [Int32]) in r[1] = r[2] + 1 }
        }
      },
      file: "profiles/ln1.safetensors",
      expected: .prefix("mask 'masks.1': row offsets decrease at row 1")),
    Damage(
      testDescription: "dense weights edited without the CSR values",
      apply: { ws, s in
        let (j, p) = rowWithTwoInputs(s)
        let i = Int(s.models[0].model.layers[0].mask!.columns[p])
        try editTensors(ws, "models/sparse.safetensors") {
          replace("layers.0.weight", in: &$0) { (w: inout [Float]) in w[j * 12 + i] += 1 }
        }
      },
      file: "models/sparse.safetensors",
      expected: .prefix("tensor 'layers.0.weight' disagrees with 'layers.0.values' at row ")),
    Damage(
      testDescription: "BOOL mask edited without the CSR form",
      apply: { ws, _ in
        try editTensors(ws, "models/sparse.safetensors") {
          let t = $0["layers.0.mask"]!
          var b = t.bools()!
          b[5].toggle()
          $0["layers.0.mask"] = SafeTensor(b, shape: t.shape)
        }
      },
      file: "models/sparse.safetensors",
      expected: .message(
        "tensor 'layers.0.mask' disagrees with the CSR form at row 0, column 5 (\(damaged))")),
    Damage(
      testDescription: "run of a missing model",
      apply: { ws, _ in try editJSON(ws, "runs/rigl1.json") { $0["modelName"] = "ghost" } },
      file: "runs/rigl1.json",
      expected: .message(
        "run 'rigl1': trains model 'ghost', which the workspace does not have (\(damaged))")),
    Damage(
      testDescription: "optimizer moments that do not fit the model",
      apply: { ws, _ in
        try editTensors(ws, "runs/rigl1.safetensors") {
          $0["optimizer.1.weight_m"] = SafeTensor([Float](repeating: 0, count: 5))
        }
      },
      file: "runs/rigl1.json",
      expected: .message(
        "run 'rigl1': layer 2 has 5 first weight moments, model 'sparse''s layer needs 26 (adam, 26 weights, 8 biases) (\(damaged))"
      )),
    Damage(
      testDescription: "invalid training config",
      apply: { ws, _ in
        try editJSON(ws, "runs/sgd1.json") {
          var state = $0["state"] as! [String: Any]
          var config = state["config"] as! [String: Any]
          config["batchSize"] = 0
          state["config"] = config
          $0["state"] = state
        }
      },
      file: "runs/sgd1.json",
      expected: .message(
        "run 'sgd1': invalid training config: batch must be at least 1, got 0 (\(damaged))")),
    Damage(
      testDescription: "sample order that is not a permutation",
      apply: { ws, _ in
        try editTensors(ws, "runs/sgd1.safetensors") {
          replace("order", in: &$0) { (o: inout [Int32]) in o[1] = o[0] }
        }
      },
      file: "runs/sgd1.json",
      expected: .message(
        "run 'sgd1': the epoch's sample order is not a permutation of 0..<432 (\(damaged))")),
    Damage(
      testDescription: "mask update rows missing",
      apply: { ws, _ in
        try editTensors(ws, "runs/rigl1.safetensors") {
          let t = $0["mask_updates.0.fan_ins"]!
          let values = t.values(as: Int64.self)!
          $0["mask_updates.0.fan_ins"] = SafeTensor(
            Array(values.dropLast(16)), shape: [t.shape[0] - 1, 16])
        }
      },
      file: "runs/rigl1.safetensors", expected: .prefix("tensor 'mask_updates.0.fan_ins' has ")),
    Damage(
      testDescription: "a run's tensors where a model's belong",
      apply: { ws, _ in
        let models = ws.appendingPathComponent("models")
        try FileManager.default.removeItem(at: models.appendingPathComponent("sparse.safetensors"))
        try FileManager.default.copyItem(
          at: ws.appendingPathComponent("runs/rigl1.safetensors"),
          to: models.appendingPathComponent("sparse.safetensors"))
      },
      file: "models/sparse.safetensors",
      expected: .message("holds 'psn-run' tensors, expected 'psn-model' (\(damaged))")),
    Damage(
      testDescription: "model widths that are not a network",
      apply: { ws, _ in try editJSON(ws, "models/sparse.json") { $0["sizes"] = [12, 0, 8, 3] } },
      file: "models/sparse.json",
      expected: .message(
        "model 'sparse': widths [12, 0, 8, 3] are not a network (at least two, each ≥ 1) (\(damaged))"
      )),
    Damage(
      testDescription: "invalid saved dataset request",
      apply: { ws, _ in
        try editJSON(ws, "manifest.json") {
          var datasets = $0["datasets"] as! [[String: Any]]
          var request = datasets[0]["request"] as! [String: Any]
          request["validation"] = ["fraction": 1.5]
          datasets[0]["request"] = request
          $0["datasets"] = datasets
        }
      },
      file: "manifest.json",
      expected: .prefix("malformed JSON: at 'datasets'[0].'request'.'validation': val=1.5")),
  ]

  @Test(arguments: damages) func damageIsReportedWithTheFile(_ damage: Damage) throws {
    let snapshot = try WorkspaceExample.make()
    try WorkspaceExample.withSaved(snapshot) { workspace, _ in
      try damage.apply(workspace, snapshot)
      let path = workspace.appendingPathComponent(damage.file).path
      do {
        _ = try WorkspaceArchive.open(workspace)
        Issue.record("opened a damaged save")
      } catch {
        let text = "\(error)"
        switch damage.expected {
        case .message(let message):
          #expect(text == "\(path): \(message)")
        case .prefix(let prefix):
          #expect(text.hasPrefix("\(path): \(prefix)"), "\(text)")
        case .tensors(let problem):
          #expect(
            (error as? WorkspaceArchiveError)?.problem
              == .tensors(SafeTensorsError(file: path, problem: problem)), "\(text)")
        }
      }
    }
  }

  @Test func foreignAndMissingDirectoriesSaySo() throws {
    try withTemporaryDirectory { parent in
      let photos = parent.appendingPathComponent("photos")
      try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: false)
      try Data([0xFF, 0xD8]).write(to: photos.appendingPathComponent("cat.jpg"))
      #expect {
        try WorkspaceArchive.open(photos)
      } throws: { error in
        "\(error)"
          == "not a psn workspace: \(photos.path) has no manifest.json (save one with `save \(photos.path)`)"
      }
      let missing = parent.appendingPathComponent("nothing")
      #expect {
        try WorkspaceArchive.open(missing)
      } throws: { error in
        "\(error)" == "\(missing.path): no saved workspace here (check the path, or save one first)"
      }
    }
  }

  /// Random truncations and byte changes of every file of a save either open (a changed weight
  /// is still a valid save) or throw a WorkspaceArchiveError; none may trap.
  @Test func randomDamageNeverTraps() throws {
    let snapshot = try WorkspaceExample.make()
    try WorkspaceExample.withSaved(snapshot) { workspace, _ in
      let files = try FileManager.default.subpathsOfDirectory(atPath: workspace.path).sorted()
        .filter { $0.hasSuffix(".json") || $0.hasSuffix(".safetensors") }
      var random = PSNRandom(seed: 11, stream: "workspace-damage")
      var thrown = 0
      var opened = 0
      for file in files {
        let url = workspace.appendingPathComponent(file)
        let original = try [UInt8](Data(contentsOf: url))
        for trial in 0..<40 {
          var bytes = original
          if trial % 4 == 0 {
            bytes = Array(bytes[..<random.nextInt(below: bytes.count)])
          } else {
            for _ in 0...random.nextInt(below: 3) {
              bytes[random.nextInt(below: bytes.count)] = UInt8(truncatingIfNeeded: random.next())
            }
          }
          try Data(bytes).write(to: url)
          do {
            _ = try WorkspaceArchive.open(workspace)
            opened += 1
          } catch {
            thrown += 1
          }
        }
        try Data(original).write(to: url)
      }
      #expect(try WorkspaceArchive.open(workspace) == snapshot)
      #expect(
        thrown > files.count * 20, "most damage is detected (\(thrown) thrown, \(opened) opened)")
    }
  }
}
