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
  ///
  /// Sixteen samples at a time: a row of Z holds one class for consecutive samples, so lane k of
  /// each vector is sample b0 + k and the per-sample loops over classes become vector loops
  /// (`exp16` for the exponentials). Per sample, one lane at a time with libm's expf, this was
  /// 16 µs of a 99%-sparse 784-300-100-10 step (11%); see docs/performance.md.
  public static func softmaxCrossEntropy(
    logits z: UnsafePointer<Float>, classes: Int, batch: Int, labels: UnsafePointer<Int32>,
    dlogits: UnsafeMutablePointer<Float>?, predictions: UnsafeMutablePointer<Int32>? = nil
  ) -> (lossSum: Double, correct: Int) {
    typealias V = SIMD16<Float>
    var lossSum = 0.0
    var correct = 0
    let invB = V(repeating: 1 / Float(batch))
    // e[0..<classes]: this block's exponentials; e[classes...]: vectors read back lane by lane
    // (indexing a SIMD value by a variable lane compiles to a broadcast and a compare per lane).
    withUnsafeTemporaryAllocation(of: V.self, capacity: classes + 3) { e in
      let lanes = UnsafeMutableRawPointer(e.baseAddress! + classes)
      for b0 in stride(from: 0, to: batch, by: 16) {
        let width = min(16, batch - b0)
        // Row c of this block; the lanes past the batch's end read as 0 and are never written.
        @inline(__always) func row(_ c: Int) -> V {
          let p = z + c * batch + b0
          if width == 16 { return UnsafeRawPointer(p).loadUnaligned(as: V.self) }
          var v = V()
          for k in 0..<width { v[k] = p[k] }
          return v
        }
        let y: SIMD16<Int32>
        if width == 16 {
          y = UnsafeRawPointer(labels + b0).loadUnaligned(as: SIMD16<Int32>.self)
        } else {
          for k in 0..<16 { lanes.storeBytes(of: k < width ? labels[b0 + k] : -1, toByteOffset: 4 * k, as: Int32.self) }
          y = lanes.load(as: SIMD16<Int32>.self)
        }
        // Labels as floats: SIMD's integer `.==` against a scalar compiles to a loop over lanes.
        let label = V(y)
        var maxZ = row(0)
        var arg = SIMD16<Int32>()
        for c in 1..<classes {
          let zc = row(c)
          arg.replace(with: Int32(c), where: zc .> maxZ)
          maxZ.replace(with: zc, where: zc .> maxZ)
        }
        var sum = V()
        var zy = V()
        for c in 0..<classes {
          let zc = row(c) - maxZ
          e[c] = exp16(zc)
          sum += e[c]
          zy.replace(with: zc, where: label .== Float(c))
        }
        if let d = dlogits {
          let inv = 1 / sum
          for c in 0..<classes {
            let oneHot = V().replacing(with: 1, where: label .== Float(c))
            let g = (e[c] * inv - oneHot) * invB
            let p = d + c * batch + b0
            if width == 16 {
              UnsafeMutableRawPointer(p).storeBytes(of: g, as: V.self)
            } else {
              for k in 0..<width { p[k] = g[k] }
            }
          }
        }
        lanes.storeBytes(of: sum, as: V.self)
        lanes.storeBytes(of: zy, toByteOffset: 64, as: V.self)
        lanes.storeBytes(of: arg, toByteOffset: 128, as: SIMD16<Int32>.self)
        for k in 0..<width {
          let sum = lanes.load(fromByteOffset: 4 * k, as: Float.self)
          let zy = lanes.load(fromByteOffset: 64 + 4 * k, as: Float.self)
          lossSum += Foundation.log(Double(sum)) - Double(zy)
          predictions?[b0 + k] = lanes.load(fromByteOffset: 128 + 4 * k, as: Int32.self)
        }
        // Lanes past the batch hold label −1, which no arg-max equals.
        correct += Int(V().replacing(with: 1, where: V(arg) .== label).sum())
      }
    }
    return (lossSum, correct)
  }

  /// e^x in each lane, within 1 ulp of the correctly rounded value for x ≤ 88.7 (above: +∞;
  /// below −87.3, where e^x is no longer a normal float: 0; NaN stays NaN). The reference is
  /// libm's expf (KernelTests).
  ///
  /// x = n·ln 2 + r with n = round(x / ln 2) and |r| ≤ ln 2 / 2 (ln 2 split in two so n·ln 2 is
  /// exact), e^r by its degree-6 minimax polynomial (Cephes' expf coefficients), and 2^n put
  /// straight into the exponent bits. n is rounded by adding 1.5·2²³: the sum's low mantissa
  /// bits then hold n, and subtracting it again gives n as a float.
  @inline(__always)
  public static func exp16(_ x: SIMD16<Float>) -> SIMD16<Float> {
    typealias V = SIMD16<Float>
    let tooSmall = x .< -87.33654
    let tooLarge = x .> 88.72283
    let magic = V(repeating: 12_582_912)  // 1.5 · 2²³
    let shifted = x * 1.442_695_04 + magic
    let n = shifted - magic
    let r = (x - n * 0.693_359_375) - n * -2.121_944_4e-4
    var p = V(repeating: 1.987_569_15e-4)
    p = p * r + 1.398_199_950_7e-3
    p = p * r + 8.333_451_907_3e-3
    p = p * r + 4.166_579_589_4e-2
    p = p * r + 1.666_666_545_9e-1
    p = p * r + 5.000_000_120_1e-1
    p = p * (r * r) + r + 1
    // 2^n as 2^(n − h) · 2^h, h = n / 2, each factor a normal float put straight into the
    // exponent field (e^88.7 needs n = 128, one past the largest exponent). `shifted` is
    // 1.5·2²³ + n, whose bits are 0x4B400000 + n.
    let n32 = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- 0x4B40_0000
    let h = n32 &>> 1
    let scaleLow = unsafeBitCast((n32 &- h &+ 127) &<< 23, to: V.self)
    let scaleHigh = unsafeBitCast((h &+ 127) &<< 23, to: V.self)
    var e = p * scaleLow * scaleHigh
    e.replace(with: 0, where: tooSmall)
    e.replace(with: .infinity, where: tooLarge)
    return e
  }
}
