import Foundation
import Testing

@testable import PSNCore

/// A small workspace with one of everything `save` must keep: a synthetic dataset request with
/// a validation split, a built profile, a sparse model trained by a finished RigL run (mask
/// updates, neuron statistics), and a dense model whose SGD run was interrupted mid-epoch inside
/// its statistics window (sample order, partial accumulators, momentum).
enum WorkspaceExample {
  static let request = DataRequest(
    .synthetic(SyntheticSpec(n: 600, features: 12, classes: 3, clusters: 2)),
    validation: .fraction(0.1), seed: 5)
  static let sizes = [12, 16, 8, 3]

  static func rigLConfig() -> TrainingConfig {
    var c = TrainingConfig()
    c.epochs = 3
    c.batchSize = 32
    c.threads = 1
    c.seed = 7
    c.statisticsWindowEpochs = 2
    c.maskUpdate = MaskUpdateConfig(interval: 5, alpha: 0.3, endFraction: 0.75)
    return c
  }

  static func profile() throws -> NetworkProfile {
    try NetworkProfileSpec(profile: ProfileSpec(family: .lognormal, cv: 1), sparsity: 0.8)
      .build(sizes: sizes)
  }

  static func make() throws -> WorkspaceSnapshot {
    let data = try DataLoader.load(request)
    let profile = try profile()

    let sparse = try MLP(sizes: sizes, masks: profile.masks, seed: 3)
    let rigl = try Trainer(model: sparse, data: data, config: rigLConfig())
    try rigl.run()

    var sgd = TrainingConfig()
    sgd.epochs = 2
    sgd.batchSize = 32
    sgd.threads = 1
    sgd.optimizer = Optimizer(kind: .sgd, momentum: 0.9, nesterov: true, weightDecay: 1e-4)
    sgd.schedule = .step(everyEpochs: 1, gamma: 0.5)
    var batches = 0
    let dense = try Trainer(model: try MLP(sizes: [12, 10, 3], seed: 4), data: data, config: sgd)
    let outcome = try dense.run(
      TrainingCallbacks(shouldStop: { batches == 20 }, onBatch: { _ in batches += 1 }))
    try #require(outcome == .interrupted(epoch: 2, batch: 6, of: 14))
    var denseModel = dense.model
    // Values whose bits a careless encoding would lose.
    denseModel.layers[0].weights[0] = -0.0
    denseModel.layers[0].weights[1] = .leastNonzeroMagnitude
    denseModel.layers[1].bias[2] = .greatestFiniteMagnitude

    let started = Date(timeIntervalSinceReferenceDate: 817_805_889.116_375_4)
    return WorkspaceSnapshot(
      datasets: [.init(name: "syn", request: request, dataset: data)],
      profiles: [.init(name: "ln1", profile: profile, sizes: sizes)],
      models: [
        .init(
          name: "sparse", model: rigl.model, datasetName: "syn", seed: 3,
          metadata: ["profile": "lognormal cv=1 sparsity=0.8"]),
        .init(name: "dense/α 1", model: denseModel, seed: 4),
      ],
      runs: [
        TrainingRun(
          name: "rigl1", method: .rigl, modelName: "sparse", datasetName: "syn",
          profileDescription: "lognormal cv=1 sparsity=0.8", profile: profile.spec,
          tags: ["seed": "7", "cv": "1"], state: rigl.state, wallSeconds: 0.25, startedAt: started),
        TrainingRun(
          name: "sgd1", method: .dense, modelName: "dense/α 1", datasetName: "syn",
          state: dense.state, wallSeconds: 0.125, startedAt: started),
      ],
      current: ["dataset": "syn", "model": "sparse", "run": "rigl1"],
      variables: ["seed": "7", "cvs": "0.5 1 1.5"])
  }

  /// Every Float and Double of the snapshot's models and run states, as bit patterns: `==`
  /// treats -0 and +0 as equal, a bit-exact round trip does not.
  static func bits(_ s: WorkspaceSnapshot) -> [[UInt64]] {
    var out: [[UInt64]] = []
    for m in s.models {
      for layer in m.model.layers {
        out.append(layer.weights.map { UInt64($0.bitPattern) })
        out.append(layer.bias.map { UInt64($0.bitPattern) })
      }
    }
    for run in s.runs {
      for o in run.state.optimizerState {
        for a in [o.weightM, o.weightV, o.biasM, o.biasV] {
          out.append(a.map { UInt64($0.bitPattern) })
        }
      }
      out.append(
        run.state.history.flatMap {
          [$0.trainLoss, $0.trainAccuracy, $0.learningRate, $0.trainSeconds, $0.samplesPerSecond]
            + [$0.validation?.loss, $0.test?.loss].compactMap { $0 }
        }.map(\.bitPattern))
      out.append(run.state.neuronAccumulators.flatMap(\.gradientNormSum).map(\.bitPattern))
      out.append([run.wallSeconds.bitPattern])
    }
    return out
  }

  /// Saves `snapshot` into a fresh directory `ws` under a temporary parent and hands both on.
  static func withSaved(
    _ snapshot: WorkspaceSnapshot, _ body: (_ workspace: URL, _ parent: URL) throws -> Void
  ) throws {
    try withTemporaryDirectory { parent in
      let workspace = parent.appendingPathComponent("ws")
      try WorkspaceArchive.save(snapshot, to: workspace)
      try body(workspace, parent)
    }
  }
}

@Suite struct WorkspaceArchiveTests {
  @Test func roundTripIsBitExact() throws {
    let snapshot = try WorkspaceExample.make()
    // The example holds what the round trip must carry.
    let rigl = snapshot.runs[0].state
    #expect(rigl.isFinished && rigl.maskUpdates.count > 3 && rigl.neuronStatistics?.count == 3)
    let sgd = snapshot.runs[1].state
    #expect(!sgd.isFinished && !sgd.order.isEmpty && !sgd.neuronAccumulators.isEmpty)
    #expect(
      sgd.optimizerState[0].weightV.isEmpty && sgd.optimizerState[0].weightM.contains { $0 != 0 })

    try WorkspaceExample.withSaved(snapshot) { workspace, _ in
      let opened = try WorkspaceArchive.open(workspace)
      #expect(opened == snapshot)
      #expect(WorkspaceExample.bits(opened) == WorkspaceExample.bits(snapshot))
      #expect(opened.models[1].model.layers[0].weights[0].sign == .minus)
    }
  }

  @Test func nonFiniteNumbersComeBack() throws {
    var snapshot = try WorkspaceExample.make()
    var record = snapshot.runs[0].state.history[0]
    record.trainLoss = .nan
    record.trainAccuracy = .infinity
    record.learningRate = -.infinity
    record.validation?.loss = -0.0
    record.test?.perClassAccuracy[0] = nil
    snapshot.runs[0].state.history[0] = record
    snapshot.runs[0].wallSeconds = .nan
    try WorkspaceExample.withSaved(snapshot) { workspace, _ in
      let opened = try WorkspaceArchive.open(workspace)
      let back = opened.runs[0].state.history[0]
      #expect(back.trainLoss.isNaN && back.trainLoss.bitPattern == Double.nan.bitPattern)
      #expect(back.trainAccuracy == .infinity && back.learningRate == -.infinity)
      #expect(back.validation?.loss.sign == .minus && back.test?.perClassAccuracy[0] == nil)
      #expect(opened.runs[0].wallSeconds.isNaN)
      #expect(WorkspaceExample.bits(opened) == WorkspaceExample.bits(snapshot))
    }
  }

  /// The file layout and tensor names are a contract with Python users (docs/workspace.md).
  @Test func layoutIsTheDocumentedOne() throws {
    let snapshot = try WorkspaceExample.make()
    try WorkspaceExample.withSaved(snapshot) { workspace, _ in
      let files = try FileManager.default.subpathsOfDirectory(atPath: workspace.path).sorted()
      #expect(
        files == [
          "manifest.json", "models", "models/dense%2F%CE%B1%201.json",
          "models/dense%2F%CE%B1%201.safetensors", "models/sparse.json",
          "models/sparse.safetensors", "profiles", "profiles/ln1.json", "profiles/ln1.safetensors",
          "runs", "runs/rigl1.json", "runs/rigl1.safetensors", "runs/sgd1.json",
          "runs/sgd1.safetensors",
        ])
      let manifest =
        try JSONSerialization.jsonObject(
          with: Data(contentsOf: workspace.appendingPathComponent("manifest.json")))
        as! [String: Any]
      #expect(manifest["format"] as? String == "psn-workspace")
      #expect(manifest["version"] as? Int == 1)
      #expect(manifest["psnVersion"] as? String == PSNVersion.current)

      let model = try SafeTensorsFile(
        contentsOf: workspace.appendingPathComponent("models/sparse.safetensors"))
      let layer0 = snapshot.models[0].model.layers[0]
      let k = layer0.weightCount
      let expected: [String: (SafeTensorDType, [Int])] = [
        "layers.0.weight": (.float32, [16, 12]), "layers.0.bias": (.float32, [16]),
        "layers.0.values": (.float32, [k]), "layers.0.row_start": (.int32, [17]),
        "layers.0.columns": (.int32, [k]), "layers.0.mask": (.bool, [16, 12]),
        "layers.2.weight": (.float32, [3, 8]), "layers.2.bias": (.float32, [3]),
      ]
      for (name, (dtype, shape)) in expected {
        #expect(model[name]?.dtype == dtype && model[name]?.shape == shape, "\(name)")
      }
      #expect(model.metadata["format"] == "psn-model")
      #expect(try model.values("layers.0.weight", as: Float.self) == layer0.denseWeights())
      #expect(
        try model.bools("layers.0.mask").map { $0 ? 1 : 0 } == layer0.effectiveMask.denseMatrix())

      let run = try SafeTensorsFile(
        contentsOf: workspace.appendingPathComponent("runs/rigl1.safetensors"))
      let updates = snapshot.runs[0].state.maskUpdates
      #expect(run["mask_updates.0.fan_ins"]?.shape == [updates.count, 16])
      #expect(run["shuffle_random.state"]?.dtype == .uint64)
      #expect(run["optimizer.0.weight_v"]?.shape == [k])
      #expect(run["neuron_statistics.2.activation_rates"] == nil)
      #expect(run["neuron_statistics.1.activation_rates"]?.shape == [8])
    }
  }

  @Test func savingAgainReplacesTheSaveAndLeavesNothingBehind() throws {
    let first = try WorkspaceExample.make()
    var second = first
    second.runs.removeLast()
    second.models.removeLast()
    second.variables["seed"] = "8"
    try WorkspaceExample.withSaved(first) { workspace, parent in
      try WorkspaceArchive.save(second, to: workspace)
      #expect(try WorkspaceArchive.open(workspace) == second)
      #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["ws"])
      #expect(
        !FileManager.default.fileExists(
          atPath: workspace.appendingPathComponent("runs/sgd1.json").path))
    }
  }

  @Test func anEmptyWorkspaceRoundTrips() throws {
    // `throws` spelled out: the only `try` is inside a macro, which closure inference misses.
    try WorkspaceExample.withSaved(WorkspaceSnapshot()) { workspace, _ throws in
      #expect(try WorkspaceArchive.open(workspace) == WorkspaceSnapshot())
    }
  }

  @Test func saveRefusesToReplaceADirectoryThatIsNotASave() throws {
    try withTemporaryDirectory { parent in
      let mine = parent.appendingPathComponent("thesis")
      try FileManager.default.createDirectory(at: mine, withIntermediateDirectories: false)
      try Data("chapter 1".utf8).write(to: mine.appendingPathComponent("chapter1.tex"))
      #expect {
        try WorkspaceArchive.save(WorkspaceSnapshot(), to: mine)
      } throws: { error in
        "\(error)"
          == "\(mine.path): exists and is not a psn workspace (it has files but no manifest.json); save replaces the whole directory, so it refuses (choose a new directory name)"
      }
      #expect(
        try String(contentsOf: mine.appendingPathComponent("chapter1.tex"), encoding: .utf8)
          == "chapter 1")

      // An empty directory (made for the save) is fine.
      let empty = parent.appendingPathComponent("empty")
      try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: false)
      try WorkspaceArchive.save(WorkspaceSnapshot(variables: ["a": "1"]), to: empty)
      #expect(try WorkspaceArchive.open(empty).variables == ["a": "1"])
    }
  }

  struct SaveRefusal: Sendable, CustomTestStringConvertible {
    var testDescription: String
    var change: @Sendable (inout WorkspaceSnapshot) -> Void
    var message: String
  }

  static let refusals: [SaveRefusal] = [
    SaveRefusal(
      testDescription: "run without its model", change: { $0.models.removeFirst() },
      message: "run 'rigl1': trains model 'sparse', which the workspace does not have"),
    SaveRefusal(
      testDescription: "two models with one name", change: { $0.models[1].name = "sparse" },
      message: "two models are named 'sparse'"),
    SaveRefusal(
      testDescription: "empty run name", change: { $0.runs[1].name = "" },
      message: "a run has an empty name"),
    SaveRefusal(
      testDescription: "optimizer state of another model",
      change: { $0.runs[0].modelName = "dense/α 1" },
      message:
        "run 'rigl1': optimizer state for 3 layers, model 'dense/α 1' has 2"),
    SaveRefusal(
      testDescription: "second moments missing",
      change: { $0.runs[0].state.optimizerState[1].weightV = [] },
      message:
        "run 'rigl1': layer 2 has 0 second weight moments, model 'sparse''s layer needs 26 (adam, 26 weights, 8 biases)"
    ),
    SaveRefusal(
      testDescription: "order not a permutation", change: { $0.runs[1].state.order[0] = 9999 },
      message: "run 'sgd1': the epoch's sample order is not a permutation of 0..<432"),
    SaveRefusal(
      testDescription: "profile mask of the wrong shape",
      change: { $0.profiles[0].sizes = [12, 16, 9, 3] },
      message: "profile 'ln1': the mask of layer 2 is 8×16, the layer is 9×16"),
  ]

  @Test(arguments: refusals) func saveRefusesAnInconsistentSnapshot(_ refusal: SaveRefusal) throws {
    var snapshot = try WorkspaceExample.make()
    refusal.change(&snapshot)
    try withTemporaryDirectory { parent in
      let workspace = parent.appendingPathComponent("ws")
      #expect {
        try WorkspaceArchive.save(snapshot, to: workspace)
      } throws: { error in
        let text = "\(error)"
        let expected =
          "\(workspace.path): cannot save: \(refusal.message) (fix or remove that object, then save again)"
        if text != expected { Issue.record("got: \(text)") }
        return text == expected
      }
      #expect(!FileManager.default.fileExists(atPath: workspace.path))
    }
  }

  /// `PSN_WORKSPACE_EXAMPLE=DIR`: writes the example workspace to DIR and, beside it,
  /// `DIR.reference.json` with the logits of model 'sparse' on five test samples, computed in
  /// Double with plain loops over the dense weights; scripts/check-workspace.py runs the Python
  /// snippet of docs/workspace.md on DIR and compares.
  @Test func writeExampleForPython() throws {
    guard let path = ProcessInfo.processInfo.environment["PSN_WORKSPACE_EXAMPLE"] else { return }
    let snapshot = try WorkspaceExample.make()
    let directory = URL(fileURLWithPath: path)
    try WorkspaceArchive.save(snapshot, to: directory)
    let model = snapshot.models[0].model
    let test = try DataLoader.load(WorkspaceExample.request).test
    let inputs = (0..<5).map { n in
      (0..<model.inputCount).map { Double(test.features[n * model.inputCount + $0]) }
    }
    let logits = inputs.map { x in
      var a = x
      for (l, layer) in model.layers.enumerated() {
        let w = layer.denseWeights()
        a = (0..<layer.nOut).map { j in
          let z = (0..<layer.nIn).reduce(Double(layer.bias[j])) {
            $0 + Double(w[j * layer.nIn + $1]) * a[$1]
          }
          return l == model.layers.count - 1 ? z : max(z, 0)
        }
      }
      return a
    }
    let reference: [String: Any] = [
      "model": snapshot.models[0].name, "inputs": inputs, "logits": logits,
      "testAccuracy": snapshot.runs[0].state.history.map { $0.test!.accuracy },
      "firstLayerFanIns": snapshot.runs[0].state.maskUpdates.map { $0.layers[0].fanIns },
    ]
    try JSONSerialization.data(withJSONObject: reference)
      .write(to: URL(fileURLWithPath: path + ".reference.json"))
  }

  /// Opt-in measurement at Fashion-MNIST size (784-300-100-10, dense and 90% sparse, each with
  /// an Adam run stopped mid-epoch over 60000 samples): `PSN_MEASURE_WORKSPACE=1 swift test ...
  /// --filter fashionSizedSaveTime`. Prints; asserts nothing about time.
  @Test func fashionSizedSaveTime() throws {
    guard ProcessInfo.processInfo.environment["PSN_MEASURE_WORKSPACE"] == "1" else { return }
    let sizes = [784, 300, 100, 10]
    let profile = try NetworkProfileSpec(
      profile: ProfileSpec(family: .lognormal, cv: 1.5), sparsity: 0.9
    )
    .build(sizes: sizes)
    var snapshot = WorkspaceSnapshot(profiles: [.init(name: "p", profile: profile, sizes: sizes)])
    for (name, masks) in [("dense", nil), ("sparse", profile.masks)] as [(String, [Mask?]?)] {
      let model = try MLP(sizes: sizes, masks: masks, seed: 1)
      var state = TrainingState(config: TrainingConfig(), model: model)
      state.order = (0..<60000).map { Int32($0) }
      state.shuffleRandom.shuffle(&state.order)
      state.batchesDone = 100
      snapshot.models.append(.init(name: name, model: model, seed: 1))
      snapshot.runs.append(
        TrainingRun(
          name: "r-\(name)", method: .static, modelName: name, datasetName: "fashion", state: state)
      )
    }
    try withTemporaryDirectory { parent in
      let workspace = parent.appendingPathComponent("ws")
      var (save, open) = (Double.infinity, Double.infinity)
      for _ in 0..<3 {
        var clock = ContinuousClock.now
        try WorkspaceArchive.save(snapshot, to: workspace)
        save = min(save, (ContinuousClock.now - clock).seconds)
        clock = ContinuousClock.now
        #expect(try WorkspaceArchive.open(workspace) == snapshot)
        open = min(open, (ContinuousClock.now - clock).seconds)
      }
      let bytes = try FileManager.default.subpathsOfDirectory(atPath: workspace.path).reduce(0) {
        $0
          + ((try? FileManager.default.attributesOfItem(atPath: workspace.path + "/" + $1)[.size]
            as? Int) ?? 0)
      }
      print(
        "fashion-sized workspace: \(bytes) bytes, save best of 3 \(save * 1000) ms, open \(open * 1000) ms"
      )
    }
  }

  @Test func fileNamesAreSafeDistinctAndKeepPlainNames() {
    let names = [
      "m1", "M1", "../etc", ".hidden", "a b/c", "ü", "m1~2", String(repeating: "x", count: 300),
    ]
    let files = ArchiveFileName.assign(names)
    #expect(files[0] == "m1" && files[1] == "M1~2" && files[2] == "%2E.%2Fetc")
    #expect(files[3] == "%2Ehidden" && files[4] == "a%20b%2Fc" && files[5] == "%C3%BC")
    #expect(files[6] == "m1%7E2", "a name cannot take the form of a suffixed one")
    #expect(files[7].count == ArchiveFileName.maximumLength)
    #expect(Set(files.map { $0.lowercased() }).count == names.count)
    #expect(files.allSatisfy(ArchiveFileName.isSafe))
    for unsafe in ["", "..", "../x", "/etc/passwd", "a/b", ".x", "a\u{0}b"] {
      #expect(!ArchiveFileName.isSafe(unsafe), "\(unsafe)")
    }
  }
}
