import Foundation

/// Dynamic sparse training settings: RigL (Evci et al. 2020) and its random-growth variant SET
/// (Mocanu et al. 2018). Definitions and every choice with its reason: docs/rigl.md.
public struct MaskUpdateConfig: Sendable, Equatable, Codable {
  public enum Growth: String, CaseIterable, Sendable, Codable {
    /// Grow the inactive connections with the largest dense-gradient magnitude (RigL).
    case gradient
    /// Grow inactive connections chosen uniformly at random (SET).
    case random
  }

  /// ΔT: steps between mask updates.
  public var interval: Int = 100
  /// α: drop fraction at the first update, annealed by cosine.
  public var alpha: Double = 0.3
  /// T_end as a fraction of the run's total steps; no updates after it.
  public var endFraction: Double = 0.75
  public var growth: Growth = .gradient

  public init(interval: Int = 100, alpha: Double = 0.3, endFraction: Double = 0.75, growth: Growth = .gradient) {
    self.interval = interval
    self.alpha = alpha
    self.endFraction = endFraction
    self.growth = growth
  }

  func validate() throws(TrainingError) {
    guard interval >= 1 else { throw .invalidConfig("dt must be at least 1 step, got \(interval)") }
    guard alpha > 0, alpha < 1 else { throw .invalidConfig("alpha must be in (0, 1), got \(alpha)") }
    guard endFraction > 0, endFraction <= 1 else { throw .invalidConfig("tend must be in (0, 1], got \(endFraction)") }
  }

  /// T_end in steps for a run of `totalSteps`.
  public func endStep(totalSteps: Int) -> Int { Int((endFraction * Double(totalSteps)).rounded(.down)) }

  /// Whether a mask update follows optimizer step t (1-based: t steps done): t = ΔT, 2ΔT, … ≤ T_end.
  public func isUpdateStep(_ t: Int, totalSteps: Int) -> Bool {
    t > 0 && t % interval == 0 && t <= endStep(totalSteps: totalSteps)
  }

  /// f(t) = α/2 · (1 + cos(π t / T_end)), the fraction of each layer's active weights replaced at
  /// step t ≤ T_end.
  public func dropFraction(step t: Int, totalSteps: Int) -> Double {
    let end = endStep(totalSteps: totalSteps)
    guard end > 0, t <= end else { return 0 }
    return alpha / 2 * (1 + Foundation.cos(Double.pi * Double(t) / Double(end)))
  }
}

/// What one mask update did to one sparse layer.
public struct LayerMaskUpdate: Sendable, Equatable, Codable {
  /// 0-based layer index.
  public var layer: Int
  /// n = ⌊f(t)·K⌋ weights dropped and as many grown.
  public var dropped: Int
  public var grown: Int
  /// Dropped connections chosen again by the grow step (they restart at 0 like any new one).
  public var regrown: Int
  /// Share of the active connections that are new: |M_new \ M_old| / K.
  public var churn: Double
  /// Every neuron's fan-in after the update.
  public var fanIns: [Int]
}

/// One mask update across the network.
public struct MaskUpdateRecord: Sendable, Equatable, Codable {
  /// Optimizer steps done when the update happened.
  public var step: Int
  public var dropFraction: Double
  public var layers: [LayerMaskUpdate]
}

extension Trainer {
  /// Runs RigL/SET on every sparse layer after optimizer step t (see docs/rigl.md):
  /// drop the n = ⌊f(t)·K⌋ active weights of smallest |w| (ties: lowest position), then grow n
  /// connections among all positions left inactive — including the just dropped ones — by
  /// largest |∂L/∂W| of this batch's dense gradient (RigL) or uniformly (SET). New connections
  /// start at 0 with zero optimizer moments; each layer keeps exactly K active weights.
  func updateMasks(_ update: MaskUpdateConfig, step t: Int, batch: Int) {
    let f = update.dropFraction(step: t, totalSteps: totalSteps)
    var layers: [LayerMaskUpdate] = []
    for l in model.layers.indices {
      guard let mask = model.layers[l].mask else { continue }
      let k = mask.nnz
      let n = Int((f * Double(k)).rounded(.down))
      let (nIn, nOut) = (mask.nIn, mask.nOut)
      var newMask = mask
      var regrown = 0
      var fresh = 0
      if n > 0 && k < nIn * nOut {
        // Drop: the n smallest magnitudes among the K active weights (CSR order).
        let drop = Selection.smallest(model.layers[l].weights.map { abs($0) }, count: n)
        var dropped = [Bool](repeating: false, count: k)
        for p in drop { dropped[p] = true }
        // Grow: n positions (row-major j·I + i, ascending) among those left inactive by the drop.
        let grow: [Int]
        switch update.growth {
        case .gradient:
          // |dZ·Aᵀ| at every position, with the kept ones scored −∞: the n largest are then the
          // n largest eligible ones (n ≤ the I·O − K + n candidates), ties to the lowest
          // position as before, without a candidate mask and a filtered copy of 235 000 scores.
          var score = [Float](repeating: 0, count: nIn * nOut)
          score.withUnsafeMutableBufferPointer { g in
            model.layers[l].denseWeightGradient(dz: gradients[l], a: buffers.values[l], batch: batch, into: g.baseAddress!, threads: stepThreads)
            for i in 0..<g.count { g[i] = abs(g[i]) }
            for j in 0..<nOut {
              for p in Int(mask.rowStart[j])..<Int(mask.rowStart[j + 1]) where !dropped[p] {
                g[j * nIn + Int(mask.columns[p])] = -.infinity
              }
            }
          }
          grow = Selection.largest(score, count: n)
        case .random:
          var candidate = [Bool](repeating: true, count: nIn * nOut)
          for j in 0..<nOut {
            for p in Int(mask.rowStart[j])..<Int(mask.rowStart[j + 1]) where !dropped[p] {
              candidate[j * nIn + Int(mask.columns[p])] = false
            }
          }
          var rng = PSNRandom(seed: config.seed, stream: "rigl.grow.\(t).\(l)")
          let candidates = candidate.indices.filter { candidate[$0] }
          grow = rng.sample(n, from: candidates.count).map { candidates[$0] }
        }
        // New rows: each row's kept inputs (ascending, in CSR order) merged with its grown ones
        // (ascending too, since `grow` is sorted by row-major position).
        var rowStart = [Int32](repeating: 0, count: nOut + 1)
        var columns = [Int32]()
        columns.reserveCapacity(k)
        var g = 0
        for j in 0..<nOut {
          var p = Int(mask.rowStart[j])
          let end = Int(mask.rowStart[j + 1])
          while true {
            while p < end && dropped[p] { p += 1 }
            let grown = g < grow.count && grow[g] / nIn == j ? grow[g] % nIn : nil
            if p < end, grown.map({ Int(mask.columns[p]) < $0 }) ?? true {
              columns.append(mask.columns[p])
              p += 1
            } else if let i = grown {
              columns.append(Int32(i))
              if mask.contains(row: j, column: i) { regrown += 1 } else { fresh += 1 }
              g += 1
            } else {
              break
            }
          }
          rowStart[j + 1] = Int32(columns.count)
        }
        newMask = Mask(nIn: nIn, nOut: nOut, rowStart: rowStart, columns: columns)
        replaceMask(l, with: newMask, survivors: dropped.map { !$0 })
      }
      layers.append(LayerMaskUpdate(
        layer: l, dropped: n, grown: n, regrown: regrown,
        churn: k > 0 ? Double(fresh) / Double(k) : 0, fanIns: newMask.fanIns))
    }
    state.maskUpdates.append(MaskUpdateRecord(step: t, dropFraction: f, layers: layers))
  }
}
