/// How a global sparsity is split across layers (DESIGN.md §3 "Layer budgets").
public enum Allocation: String, CaseIterable, Sendable, Codable {
  /// Every sparse layer at density 1 − s.
  case uniform
  /// Erdős–Rényi-Kernel (Evci et al. 2020): density ∝ (n_in + n_out)/(n_in·n_out), scaled to the
  /// global budget; layers that would exceed density 1 are made dense and the rest re-solved.
  case erk
}

/// The number of active weights each layer gets.
public struct LayerBudget: Sendable, Equatable {
  /// Active weights per layer; nil = the layer is dense (kept dense, or capped by ERK).
  public var nnz: [Int?]
  /// Layers whose budget was raised to one connection per neuron (see `allocate`).
  public var raisedToOnePerNeuron: [Int]

  /// Splits a global `sparsity` s over layers of the given shapes.
  ///
  /// The budget is (1 − s) · Σ n_in·n_out over the layers not in `keepDense`, rounded to a whole
  /// number of weights and distributed so the per-layer counts add up to it exactly (largest
  /// remainders). Layers in `keepDense` stay dense and are outside the budget. A layer is never
  /// given fewer than n_out weights (one per neuron, so no neuron is cut off): where the split
  /// asks for less, the layer gets n_out and the achieved sparsity is slightly lower — reported
  /// in `raisedToOnePerNeuron`.
  public static func allocate(
    shapes: [(nIn: Int, nOut: Int)], sparsity s: Double, allocation: Allocation,
    keepDense: Set<Int> = []
  ) throws(BudgetError) -> LayerBudget {
    guard s >= 0, s < 1, s.isFinite else { throw .sparsity(s) }
    for l in keepDense where !shapes.indices.contains(l) {
      throw .layer(l + 1, count: shapes.count)
    }
    let sizes = shapes.map { $0.nIn * $0.nOut }
    let eligible = shapes.indices.filter { !keepDense.contains($0) }
    guard !eligible.isEmpty else { return LayerBudget(nnz: shapes.map { _ in nil }, raisedToOnePerNeuron: []) }
    let total = eligible.reduce(0) { $0 + sizes[$1] }
    let target = Int((1 - s) * Double(total) + 0.5)

    // Real-valued densities per eligible layer.
    var density = [Double](repeating: 1, count: shapes.count)
    switch allocation {
    case .uniform:
      for l in eligible { density[l] = 1 - s }
    case .erk:
      let p = shapes.map { Double($0.nIn + $0.nOut) / Double($0.nIn * $0.nOut) }
      var capped = Set<Int>()
      while true {
        let free = eligible.filter { !capped.contains($0) }
        let cappedWeights = capped.reduce(0) { $0 + sizes[$1] }
        let divisor = free.reduce(0.0) { $0 + p[$1] * Double(sizes[$1]) }
        guard !free.isEmpty, divisor > 0 else { break }
        let eps = (Double(target) - Double(cappedWeights)) / divisor
        let maxP = free.map { p[$0] }.max()!
        if eps * maxP > 1 {
          // Every layer at the maximum joins the dense set, ties included (as the RigL code).
          for l in free where p[l] == maxP { capped.insert(l) }
          continue
        }
        for l in free { density[l] = eps * p[l] }
        break
      }
      for l in capped { density[l] = 1 }
    }

    // Whole numbers adding up to the target: floor, then largest remainders.
    var counts = [Int](repeating: 0, count: shapes.count)
    var assigned = 0
    var remainders: [(Double, Int)] = []
    for l in eligible {
      let exact = min(density[l], 1) * Double(sizes[l])
      counts[l] = Int(exact.rounded(.down))
      assigned += counts[l]
      remainders.append((exact - Double(counts[l]), l))
    }
    remainders.sort { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }
    var left = target - assigned
    for (_, l) in remainders where left > 0 && counts[l] < sizes[l] {
      counts[l] += 1
      left -= 1
    }

    var raised: [Int] = []
    var nnz: [Int?] = Array(repeating: nil, count: shapes.count)
    for l in eligible {
      if counts[l] < shapes[l].nOut {
        counts[l] = shapes[l].nOut
        raised.append(l)
      }
      nnz[l] = counts[l] >= sizes[l] ? nil : counts[l]
    }
    return LayerBudget(nnz: nnz, raisedToOnePerNeuron: raised)
  }

  /// Density of each layer under this budget.
  public func densities(shapes: [(nIn: Int, nOut: Int)]) -> [Double] {
    zip(nnz, shapes).map { n, s in n.map { Double($0) / Double(s.nIn * s.nOut) } ?? 1 }
  }
}

public enum BudgetError: Error, CustomStringConvertible, Equatable {
  case sparsity(Double)
  case layer(Int, count: Int)
  public var description: String {
    switch self {
    case .sparsity(let s): return "sparsity must be in [0, 1), got \(s) (e.g. sparsity=0.9 keeps 10% of the weights)"
    case .layer(let l, let n): return "layer \(l) does not exist: the model has layers 1–\(n)"
    }
  }
}
