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
    // Blocks of 8 samples: for each feature, the 8 values (one per source row, each row read
    // sequentially) become one 8-wide store into the destination row — a blocked transpose, so
    // the writes are full vectors instead of 4-byte stores 512 bytes apart.
    var b0 = 0
    while b0 + 8 <= batch {
      let s0 = features + Int(indices[b0]) * featureCount
      let s1 = features + Int(indices[b0 + 1]) * featureCount
      let s2 = features + Int(indices[b0 + 2]) * featureCount
      let s3 = features + Int(indices[b0 + 3]) * featureCount
      let s4 = features + Int(indices[b0 + 4]) * featureCount
      let s5 = features + Int(indices[b0 + 5]) * featureCount
      let s6 = features + Int(indices[b0 + 6]) * featureCount
      let s7 = features + Int(indices[b0 + 7]) * featureCount
      let dst = UnsafeMutableRawPointer(x + b0)
      for i in 0..<featureCount {
        let v = SIMD8<Float>(s0[i], s1[i], s2[i], s3[i], s4[i], s5[i], s6[i], s7[i])
        dst.storeBytes(of: v, toByteOffset: i * batch * 4, as: SIMD8<Float>.self)
      }
      b0 += 8
    }
    while b0 < batch {
      let src = features + Int(indices[b0]) * featureCount
      for i in 0..<featureCount { x[i * batch + b0] = src[i] }
      b0 += 1
    }
  }

  /// Runs the network on values[0] (B samples), leaving every layer's output in place:
  /// values[l+1] = ReLU(W_l values[l] + b_l) for hidden layers, the logits for the last.
  func forward(_ model: MLP, batch: Int, threads: Int) {
    for (l, layer) in model.layers.enumerated() {
      forward(layer, layer: l, isLast: l == model.layers.count - 1, batch: batch, threads: threads)
    }
  }

  /// values[l+1] = ReLU(W_l values[l] + b_l), or without the ReLU for the logit layer.
  func forward(_ layer: Layer, layer l: Int, isLast: Bool, batch: Int, threads: Int) {
    layer.forward(values[l], batch: batch, into: values[l + 1], threads: threads, relu: !isLast)
  }
}
