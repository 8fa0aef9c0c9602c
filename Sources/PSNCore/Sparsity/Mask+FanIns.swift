/// Masks with prescribed fan-ins: row j gets exactly `fanIns[j]` distinct inputs.
extension Mask {
  /// Each neuron's inputs drawn uniformly without replacement, neuron 0 first, from `rng`.
  ///
  /// Shapes: O = `fanIns.count` rows, I = `nIn` columns; needs 0 ≤ k_j ≤ I.
  public static func randomInputs(nIn: Int, fanIns: [Int], rng: inout PSNRandom) -> Mask {
    rows(nIn: nIn, fanIns: fanIns) { _, k in rng.sample(k, from: nIn) }
  }

  /// Each neuron's inputs evenly spaced over all I inputs, at a phase of its own:
  ///
  ///     i_{j,m} = ⌊(m + u_j) · I / k_j⌋,   m = 0 … k_j − 1,   u_j = frac(j · (√5 − 1)/2)
  ///
  /// The spacing I/k_j ≥ 1 makes the inputs distinct and ascending, all in [0, I). The phases u_j
  /// follow the golden-ratio sequence, which spreads them evenly over [0, 1) for any number of
  /// neurons, so consecutive neurons start at different offsets and together cover the inputs
  /// about equally (with equal fan-ins k, every input is used ≈ O·k/I times). No randomness:
  /// the mask depends only on the fan-ins. k_j = I gives every input.
  public static func stridedInputs(nIn: Int, fanIns: [Int]) -> Mask {
    let inverseGoldenRatio = 0.618_033_988_749_894_9
    return rows(nIn: nIn, fanIns: fanIns) { j, k in
      let phase = (Double(j) * inverseGoldenRatio).truncatingRemainder(dividingBy: 1)
      let spacing = Double(nIn) / Double(k)
      return (0..<k).map { m in Int(((Double(m) + phase) * spacing).rounded(.down)) }
    }
  }

  /// Assembles CSR rows from per-neuron ascending input lists.
  private static func rows(
    nIn: Int, fanIns: [Int], inputs: (_ neuron: Int, _ fanIn: Int) -> [Int]
  ) -> Mask {
    precondition(fanIns.allSatisfy { $0 >= 0 && $0 <= nIn }, "fan-ins must lie in 0...nIn")
    var rowStart: [Int32] = [0]
    rowStart.reserveCapacity(fanIns.count + 1)
    var columns: [Int32] = []
    columns.reserveCapacity(fanIns.reduce(0, +))
    for (j, k) in fanIns.enumerated() {
      columns.append(contentsOf: inputs(j, k).map { Int32($0) })
      rowStart.append(Int32(columns.count))
    }
    return Mask(nIn: nIn, nOut: fanIns.count, rowStart: rowStart, columns: columns)
  }
}
