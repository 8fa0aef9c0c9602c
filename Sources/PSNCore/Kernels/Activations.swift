import Foundation

/// Element-wise and per-sample kernels around the matrix products. Letters as in SparseKernels:
/// activations are features × batch with row stride B.
public enum ActivationKernels {
  /// h = max(z, 0) in place over `count` values.
  public static func reluForward(_ z: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count { z[i] = max(z[i], 0) }
  }

  /// dZ = dH ⊙ 1[h > 0] in place (h is the ReLU output, so h > 0 ⇔ z > 0).
  public static func reluBackward(
    _ dh: UnsafeMutablePointer<Float>, output h: UnsafePointer<Float>, count: Int
  ) {
    for i in 0..<count { dh[i] = h[i] > 0 ? dh[i] : 0 }
  }

  /// Softmax cross-entropy over logits Z[C×B] (column b is sample b).
  ///
  /// loss_b = log Σ_c exp(z_cb) − z_{y_b, b};  dZ[c, b] = (softmax(z_b)_c − 1[c = y_b]) / B.
  /// Returns the summed loss over the batch (not the mean) and the number of samples whose
  /// arg-max logit is the label (ties go to the lowest class index). `dlogits` may be nil
  /// (evaluation).
  public static func softmaxCrossEntropy(
    logits z: UnsafePointer<Float>, classes: Int, batch: Int, labels: UnsafePointer<Int32>,
    dlogits: UnsafeMutablePointer<Float>?, predictions: UnsafeMutablePointer<Int32>? = nil
  ) -> (lossSum: Double, correct: Int) {
    var lossSum = 0.0
    var correct = 0
    let invB = 1 / Float(batch)
    // exp(z − max) once per logit, in Float (expf: the Double exp twice per logit was ~10% of a
    // 99%-sparse step); the per-sample sums and the loss accumulate in Double.
    withUnsafeTemporaryAllocation(of: Float.self, capacity: classes) { e in
      for b in 0..<batch {
        var maxZ = z[b]
        var arg = 0
        for c in 1..<classes where z[c * batch + b] > maxZ {
          maxZ = z[c * batch + b]
          arg = c
        }
        var sum = 0.0
        for c in 0..<classes {
          e[c] = Foundation.exp(z[c * batch + b] - maxZ)
          sum += Double(e[c])
        }
        let y = Int(labels[b])
        lossSum += Foundation.log(sum) - Double(z[y * batch + b] - maxZ)
        if arg == y { correct += 1 }
        predictions?[b] = Int32(arg)
        if let d = dlogits {
          let inv = Float(1 / sum)
          for c in 0..<classes { d[c * batch + b] = (e[c] * inv - (c == y ? 1 : 0)) * invB }
        }
      }
    }
    return (lossSum, correct)
  }
}
