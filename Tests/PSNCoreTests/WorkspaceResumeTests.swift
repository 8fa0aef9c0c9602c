import Foundation
import Testing

@testable import PSNCore

/// A RigL run interrupted at a batch, saved, opened in a fresh workspace with its data loaded
/// again, and resumed, ends exactly where the same run ends uninterrupted.
@Suite struct WorkspaceResumeTests {
  /// The state without its wall-clock fields (epoch seconds, per-epoch train seconds and
  /// throughput), which measure the machine, not the training.
  static func withoutClocks(_ state: TrainingState) -> TrainingState {
    var s = state
    s.epochSeconds = 0
    s.history = s.history.map {
      var record = $0
      record.trainSeconds = 0
      record.samplesPerSecond = 0
      return record
    }
    return s
  }

  static func weightBits(_ model: MLP) -> [[UInt32]] {
    model.layers.flatMap { [$0.weights.map(\.bitPattern), $0.bias.map(\.bitPattern)] }
  }

  static func momentBits(_ state: TrainingState) -> [[UInt32]] {
    state.optimizerState.flatMap { o in
      [o.weightM, o.weightV, o.biasM, o.biasV].map { $0.map(\.bitPattern) }
    }
  }

  @Test(arguments: [9, 23, 37]) func resumedRunEqualsUninterruptedRun(stopAfter batches: Int) throws
  {
    let request = WorkspaceExample.request
    let data = try DataLoader.load(request)
    let config = WorkspaceExample.rigLConfig()
    let start = try MLP(
      sizes: WorkspaceExample.sizes, masks: WorkspaceExample.profile().masks, seed: 3)

    let whole = try Trainer(model: start, data: data, config: config)
    try whole.run()

    let first = try Trainer(model: start, data: data, config: config)
    var done = 0
    let outcome = try first.run(
      TrainingCallbacks(shouldStop: { done == batches }, onBatch: { _ in done += 1 }))
    #expect(outcome == .interrupted(epoch: batches / 14 + 1, batch: batches % 14, of: 14))
    let laterUpdates = whole.state.maskUpdates.filter { $0.step > batches }
    #expect(!laterUpdates.isEmpty || batches > 31, "the resumed part crosses mask updates")

    let snapshot = WorkspaceSnapshot(
      datasets: [.init(name: "syn", request: request, dataset: data)],
      models: [.init(name: "m", model: first.model, datasetName: "syn", seed: 3)],
      runs: [
        TrainingRun(
          name: "r", method: .rigl, modelName: "m", datasetName: "syn", state: first.state)
      ],
      current: ["model": "m", "run": "r"])
    try withTemporaryDirectory { parent in
      let workspace = parent.appendingPathComponent("ws")
      try WorkspaceArchive.save(snapshot, to: workspace)
      let opened = try WorkspaceArchive.open(workspace)
      #expect(opened == snapshot)

      // What the shell does after `open`: load the data again and check it is the same.
      let reloaded = try opened.datasets[0].reload()

      let run = opened.runs[0]
      let second = try Trainer(
        model: opened.models[0].model, data: reloaded, config: run.config, resuming: run.state)
      #expect(try second.run() == .completed)

      #expect(Self.weightBits(second.model) == Self.weightBits(whole.model))
      #expect(second.model.masks == whole.model.masks)
      #expect(Self.momentBits(second.state) == Self.momentBits(whole.state))
      #expect(Self.withoutClocks(second.state) == Self.withoutClocks(whole.state))
      #expect(second.state.shuffleRandom == whole.state.shuffleRandom)
      #expect(second.state.neuronStatistics == whole.state.neuronStatistics)
      #expect(second.state.maskUpdates == whole.state.maskUpdates)
    }
  }
}
