/// Per-neuron statistics of one layer gathered over an analysis window of training steps
/// (docs/analysis.md). Neuron j of layer l is output j of weight matrix W_l.
public struct LayerNeuronStatistics: Sendable, Equatable, Codable {
  /// 0-based layer index.
  public var layer: Int
  /// k_j at the end of the window.
  public var fanIns: [Int]
  /// G_j: the L2 norm of the loss gradient over neuron j's active incoming weights,
  /// ‖∂L/∂W_{j,·} ⊙ M_{j,·}‖₂, averaged over the window's steps (one mini-batch gradient per step).
  public var gradientNorms: [Double]
  /// ‖W_{j,·}‖₂ of the active incoming weights at the end of the window.
  public var weightNorms: [Double]
  /// Share of the window's training samples on which neuron j's ReLU was on (output > 0);
  /// nil for the logit layer, which has no ReLU.
  public var activationRates: [Double]?
  /// Steps and samples the window covered.
  public var steps: Int
  public var samples: Int
  public var isSparse: Bool
}

/// Running sums for `LayerNeuronStatistics`, kept in the training state so an interrupted run
/// resumes with its window intact.
public struct NeuronAccumulator: Sendable, Equatable, Codable {
  public var gradientNormSum: [Double]
  public var activeSamples: [Int]
  public var steps: Int = 0
  public var samples: Int = 0

  init(neurons: Int) {
    gradientNormSum = [Double](repeating: 0, count: neurons)
    activeSamples = [Int](repeating: 0, count: neurons)
  }
}

extension Trainer {
  /// First step of the analysis window: the last `statisticsWindowEpochs` epochs of the run.
  var statisticsWindowStart: Int {
    max(0, totalSteps - config.statisticsWindowEpochs * batchesPerEpoch)
  }

  /// Adds this step's per-neuron gradient norms and ReLU activity to the window's sums.
  /// Cost: O(K) for the norms and O(O·B) for the activity, against O(K·B) for the step itself.
  func accumulateNeuronStatistics(batch: Int) {
    if state.neuronAccumulators.isEmpty {
      state.neuronAccumulators = model.layers.map { NeuronAccumulator(neurons: $0.nOut) }
    }
    let last = model.layers.count - 1
    for (l, layer) in model.layers.enumerated() {
      // In place: a copy of the accumulator would copy its arrays on every step.
      weightGradients[l].withUnsafeBufferPointer { g in
        state.neuronAccumulators[l].gradientNormSum.withUnsafeMutableBufferPointer { sums in
          @inline(__always) func add(_ j: Int, _ range: Range<Int>) {
            var s: Double = 0
            for p in range { s += Double(g[p]) * Double(g[p]) }
            sums[j] += s.squareRoot()
          }
          if let m = layer.mask {
            m.rowStart.withUnsafeBufferPointer { rs in
              for j in 0..<layer.nOut { add(j, Int(rs[j])..<Int(rs[j + 1])) }
            }
          } else {
            for j in 0..<layer.nOut { add(j, j * layer.nIn..<(j + 1) * layer.nIn) }
          }
        }
      }
      if l < last {
        let h = buffers.values[l + 1]
        state.neuronAccumulators[l].activeSamples.withUnsafeMutableBufferPointer { active in
          for j in 0..<layer.nOut {
            var on = 0
            for b in 0..<batch where h[j * batch + b] > 0 { on += 1 }
            active[j] += on
          }
        }
      }
      state.neuronAccumulators[l].steps += 1
      state.neuronAccumulators[l].samples += batch
    }
  }

  /// Turns the window's sums into statistics (at the end of the run).
  func finishNeuronStatistics() -> [LayerNeuronStatistics] {
    let last = model.layers.count - 1
    return state.neuronAccumulators.enumerated().map { l, acc in
      let layer = model.layers[l]
      let weightNorms = (0..<layer.nOut).map { j in
        layer.incoming(j).weights.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
      }
      return LayerNeuronStatistics(
        layer: l, fanIns: layer.fanIns,
        gradientNorms: acc.gradientNormSum.map { $0 / Double(max(acc.steps, 1)) },
        weightNorms: weightNorms,
        activationRates: l < last ? acc.activeSamples.map { Double($0) / Double(max(acc.samples, 1)) } : nil,
        steps: acc.steps, samples: acc.samples, isSparse: layer.isSparse)
    }
  }
}
