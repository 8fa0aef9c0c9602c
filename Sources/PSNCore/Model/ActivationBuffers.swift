/// Feature-major scratch buffers for a batch of up to `capacity` samples: `values[l]` holds the
/// activations entering layer l (sizes[l] × B), the last one the logits. Allocated once per
/// training or evaluation so the batch loop allocates nothing.
final class ActivationBuffers {
  let sizes: [Int]
  let capacity: Int
  let values: [UnsafeMutablePointer<Float>]

  init(sizes: [Int], capacity: Int) {
    self.sizes = sizes
    self.capacity = capacity
    values = sizes.map { n in
      let p = UnsafeMutablePointer<Float>.allocate(capacity: n * capacity)
      p.initialize(repeating: 0, count: n * capacity)
      return p
    }
  }

  deinit { values.forEach { $0.deallocate() } }

  /// Copies the samples `indices` of a sample-major feature array into values[0] as I × B.
  func gather(
    features: UnsafePointer<Float>, featureCount: Int, indices: UnsafeBufferPointer<Int32>
  ) {
    let batch = indices.count
    let x = values[0]
    // Blocks of 8 samples: each source row is read once, and the 8 destinations of one feature
    // are adjacent, which keeps the strided writes in a few cache lines.
    var b0 = 0
    while b0 < batch {
      let nb = min(8, batch - b0)
      for db in 0..<nb {
        let src = features + Int(indices[b0 + db]) * featureCount
        let dst = x + b0 + db
        for i in 0..<featureCount { dst[i * batch] = src[i] }
      }
      b0 += nb
    }
  }

  /// Runs the network on values[0] (B samples), leaving every layer's output in place:
  /// values[l+1] = ReLU(W_l values[l] + b_l) for hidden layers, the logits for the last.
  func forward(_ model: MLP, batch: Int, threads: Int) {
    for (l, layer) in model.layers.enumerated() {
      layer.forward(values[l], batch: batch, into: values[l + 1], threads: threads)
      if l < model.layers.count - 1 {
        ActivationKernels.reluForward(values[l + 1], count: layer.nOut * batch)
      }
    }
  }
}
