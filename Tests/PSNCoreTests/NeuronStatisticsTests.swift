import Testing
@testable import PSNCore

/// Captures every step's weight gradients and hidden activations, to recompute the collector's
/// statistics by hand.
final class StepRecorder: TrainingStepObserver {
  var gradients: [[[Float]]] = []
  var activations: [[[Float]]] = []  // per step, per hidden layer: O×B
  func afterBackward(_ step: StepView) -> Bool {
    let layers = step.model.layers
    gradients.append(layers.indices.map { step.weightGradient($0) })
    activations.append((0..<layers.count - 1).map { l in
      Array(UnsafeBufferPointer(start: step.input(l + 1), count: layers[l].nOut * step.batch))
    })
    return false
  }
}

@Suite struct NeuronStatisticsTests {
  @Test func collectorMatchesExplicitPerBatchGradients() throws {
    let data = TestSupport.blobs(samples: 200, features: 12, classes: 3, seed: 4)
    var rng = PSNRandom(seed: 2, stream: "masks")
    let masks: [Mask?] = [Mask.random(nIn: 12, nOut: 10, nnz: 60, rng: &rng), nil, nil]
    let model = try MLP(sizes: [12, 10, 6, 3], masks: masks, seed: 3)
    var c = TrainingConfig()
    c.epochs = 3
    c.batchSize = 32  // 7 steps per epoch, the last one of 8 samples
    c.statisticsWindowEpochs = 2
    let trainer = try Trainer(model: model, data: data, config: c)
    let recorder = StepRecorder()
    trainer.stepObservers = [recorder]
    try trainer.run()
    let stats = try #require(trainer.state.neuronStatistics)
    let window = Array(7..<21)  // steps 7…20 are the last two epochs
    let batchSizes = (0..<21).map { $0 % 7 == 6 ? 8 : 32 }
    for (l, layer) in trainer.model.layers.enumerated() {
      let s = stats[l]
      #expect(s.steps == 14)
      #expect(s.samples == 400)
      #expect(s.fanIns == layer.fanIns)
      for j in 0..<layer.nOut {
        // G_j by hand: the L2 norm of row j's gradient per step, averaged over the window.
        var sum = 0.0
        for t in window {
          let g = recorder.gradients[t][l]
          let row: [Float] = layer.mask.map { m in Array(g[Int(m.rowStart[j])..<Int(m.rowStart[j + 1])]) } ?? Array(g[j * layer.nIn..<(j + 1) * layer.nIn])
          sum += row.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        }
        #expect(abs(s.gradientNorms[j] - sum / 14) <= 1e-9 * max(1, sum))
        let w = layer.incoming(j).weights
        #expect(abs(s.weightNorms[j] - w.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()) < 1e-9)
        if l < 2 {
          var on = 0
          for t in window {
            let b = batchSizes[t]
            on += (0..<b).filter { recorder.activations[t][l][j * b + $0] > 0 }.count
          }
          #expect(s.activationRates![j] == Double(on) / 400)
        } else {
          #expect(s.activationRates == nil)
        }
      }
    }
  }

  /// A layer whose neurons are identical has concentration exactly 1.
  @Test func identicalNeuronsConcentrationOne() {
    let s = LayerNeuronStatistics(
      layer: 0, fanIns: Array(repeating: 7, count: 20), gradientNorms: Array(repeating: 0.37, count: 20),
      weightNorms: Array(repeating: 1, count: 20), activationRates: nil, steps: 1, samples: 1, isSparse: true)
    #expect(s.hierarchy().concentration == 1)
    #expect(s.hierarchy().fanInGradientCorrelation == nil)
  }

  /// Constructed: 20 neurons, the 2 hubs (top decile by fan-in) have G = 5, the rest G = 1:
  /// mean G = (2·5 + 18·1)/20 = 1.4, concentration = 5 / 1.4.
  @Test func knownGradientRatio() {
    var fanIns = Array(repeating: 10, count: 20)
    var g = Array(repeating: 1.0, count: 20)
    for j in [3, 17] {
      fanIns[j] = 50
      g[j] = 5
    }
    let s = LayerNeuronStatistics(layer: 0, fanIns: fanIns, gradientNorms: g, weightNorms: g, activationRates: nil, steps: 1, samples: 1, isSparse: true)
    let h = s.hierarchy()
    #expect(h.hubs == [3, 17])
    #expect(abs(h.concentration - 5 / 1.4) < 1e-12)
    #expect(abs(h.fanInGradientCorrelation! - 1) < 1e-12)
    #expect(abs(h.gradientShares[3] - 5 / 28) < 1e-12)
  }
}
