import Foundation
@testable import PSNCore

/// Small deterministic datasets and reference computations shared by the core tests.
enum TestSupport {
  /// Gaussian blobs: class c centred at a random point, unit noise; learnable but not trivial.
  static func blobs(samples: Int, features: Int, classes: Int, seed: UInt64, separation: Double = 2)
    -> Dataset
  {
    var rng = PSNRandom(seed: seed, stream: "test.blobs")
    let centres = (0..<classes).map { _ in (0..<features).map { _ in rng.nextNormal() * separation } }
    func split(_ n: Int) -> Dataset.Split {
      var x = [Float]()
      var y = [Int32]()
      for i in 0..<n {
        let c = i % classes
        y.append(Int32(c))
        for f in 0..<features { x.append(Float(centres[c][f] + rng.nextNormal())) }
      }
      return Dataset.Split(features: x, labels: y)
    }
    return Dataset(
      name: "blobs", featureCount: features, classCount: classes, train: split(samples),
      test: split(samples / 4), source: "test")
  }

  /// Mean softmax cross-entropy of `model` on samples `idx`, computed in Double with plain loops
  /// over the dense weight matrices: an implementation independent of the kernels under test.
  static func referenceLoss(_ model: MLP, _ data: Dataset.Split, _ idx: [Int], perturb: (layer: Int, weight: Int, bias: Bool, delta: Double)? = nil) -> Double {
    var weights = model.layers.map { $0.denseWeights().map(Double.init) }
    var biases = model.layers.map { $0.bias.map(Double.init) }
    let masks = model.layers.map { $0.effectiveMask.denseMatrix() }
    if let p = perturb {
      if p.bias { biases[p.layer][p.weight] += p.delta } else { weights[p.layer][p.weight] += p.delta }
    }
    let inputs = model.inputCount
    var total = 0.0
    for n in idx {
      var a = (0..<inputs).map { Double(data.features[n * inputs + $0]) }
      for (l, layer) in model.layers.enumerated() {
        var z = [Double](repeating: 0, count: layer.nOut)
        for j in 0..<layer.nOut {
          var s = biases[l][j]
          for i in 0..<layer.nIn where masks[l][j * layer.nIn + i] != 0 { s += weights[l][j * layer.nIn + i] * a[i] }
          z[j] = s
        }
        a = l == model.layers.count - 1 ? z : z.map { max($0, 0) }
      }
      let m = a.max()!
      let lse = m + Foundation.log(a.reduce(0) { $0 + Foundation.exp($1 - m) })
      total += lse - a[Int(data.labels[n])]
    }
    return total / Double(idx.count)
  }
}


/// Captures the gradients of one step and skips the optimizer update.
final class GradientCapture: TrainingStepObserver {
  var weights: [[Float]] = []
  var biases: [[Float]] = []
  var skip = true
  func afterBackward(_ step: StepView) -> Bool {
    weights = step.model.layers.indices.map { step.weightGradient($0) }
    biases = step.model.layers.indices.map { step.biasGradient($0) }
    return skip
  }
}
