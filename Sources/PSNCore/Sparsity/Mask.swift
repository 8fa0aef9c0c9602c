/// The binary connectivity mask of one layer, stored as CSR rows: row `j` is output neuron `j` and
/// lists, in ascending order, the inputs it is connected to.
///
/// Shapes: O = `nOut` rows, I = `nIn` columns, K = `nnz` active connections.
/// The fan-in of neuron j is k_j = Σ_i M_ji = `rowStart[j+1] - rowStart[j]` (DESIGN.md §3).
public struct Mask: Sendable, Equatable {
  public let nIn: Int
  public let nOut: Int
  /// Offsets into `columns`, O+1 entries, `rowStart[0] == 0`, `rowStart[O] == nnz`.
  public private(set) var rowStart: [Int32]
  /// Input indices, K entries, strictly ascending within each row.
  public private(set) var columns: [Int32]

  public var nnz: Int { columns.count }
  public var density: Double { Double(nnz) / Double(nIn * nOut) }
  public var isDense: Bool { nnz == nIn * nOut }

  /// Fan-in of output neuron `j`.
  @inlinable
  public func fanIn(_ j: Int) -> Int { Int(rowStart[j + 1] - rowStart[j]) }

  /// Fan-in of every output neuron.
  public var fanIns: [Int] { (0..<nOut).map(fanIn) }

  /// The inputs neuron `j` listens to.
  public func inputs(of j: Int) -> ArraySlice<Int32> {
    columns[Int(rowStart[j])..<Int(rowStart[j + 1])]
  }

  /// Whether connection (j ← i) is active (binary search in row j).
  public func contains(row j: Int, column i: Int) -> Bool {
    var lo = Int(rowStart[j])
    var hi = Int(rowStart[j + 1])
    let key = Int32(i)
    while lo < hi {
      let mid = (lo + hi) / 2
      if columns[mid] < key { lo = mid + 1 } else { hi = mid }
    }
    return lo < Int(rowStart[j + 1]) && columns[lo] == key
  }

  /// Builds a mask from already-validated CSR arrays. Use `init(nIn:nOut:rows:)` for untrusted input.
  public init(nIn: Int, nOut: Int, rowStart: [Int32], columns: [Int32]) {
    self.nIn = nIn
    self.nOut = nOut
    self.rowStart = rowStart
    self.columns = columns
    checkInvariants()
  }

  /// Builds a mask from per-neuron input lists (any order, duplicates rejected).
  public init(nIn: Int, nOut: Int, rows: [[Int]]) throws(MaskError) {
    guard rows.count == nOut else { throw .shape("expected \(nOut) rows, got \(rows.count)") }
    var rowStart: [Int32] = [0]
    rowStart.reserveCapacity(nOut + 1)
    var columns: [Int32] = []
    for (j, row) in rows.enumerated() {
      let sorted = row.sorted()
      for (n, i) in sorted.enumerated() {
        guard i >= 0 && i < nIn else { throw .shape("row \(j): input \(i) outside 0..<\(nIn)") }
        if n > 0 && sorted[n - 1] == i { throw .shape("row \(j): input \(i) listed twice") }
        columns.append(Int32(i))
      }
      rowStart.append(Int32(columns.count))
    }
    self.init(nIn: nIn, nOut: nOut, rowStart: rowStart, columns: columns)
  }

  /// Every connection active.
  public static func dense(nIn: Int, nOut: Int) -> Mask {
    var columns = [Int32]()
    columns.reserveCapacity(nIn * nOut)
    for _ in 0..<nOut { columns.append(contentsOf: (0..<Int32(nIn))) }
    let rowStart = (0...nOut).map { Int32($0 * nIn) }
    return Mask(nIn: nIn, nOut: nOut, rowStart: rowStart, columns: columns)
  }

  /// Exactly `nnz` connections at uniformly random positions of the O×I matrix (the uniform random
  /// baseline: each neuron's fan-in is then hypergeometric, close to Binomial(I, nnz/(O·I))).
  public static func random(nIn: Int, nOut: Int, nnz: Int, rng: inout PSNRandom) -> Mask {
    precondition(nnz >= 0 && nnz <= nIn * nOut)
    let flat = rng.sample(nnz, from: nIn * nOut)  // ascending, so row-major CSR order
    var rowStart = [Int32](repeating: 0, count: nOut + 1)
    var columns = [Int32]()
    columns.reserveCapacity(nnz)
    for p in flat {
      rowStart[p / nIn + 1] += 1
      columns.append(Int32(p % nIn))
    }
    for j in 0..<nOut { rowStart[j + 1] += rowStart[j] }
    return Mask(nIn: nIn, nOut: nOut, rowStart: rowStart, columns: columns)
  }

  /// Row-major O×I matrix of 0/1.
  public func denseMatrix() -> [Float] {
    var m = [Float](repeating: 0, count: nIn * nOut)
    for j in 0..<nOut {
      for p in Int(rowStart[j])..<Int(rowStart[j + 1]) { m[j * nIn + Int(columns[p])] = 1 }
    }
    return m
  }

  /// Verifies the CSR invariants (sorted, unique, in range, offsets consistent). Active in debug
  /// builds and whenever PSN_INTERNAL_CHECKS is defined; free otherwise.
  @inline(__always)
  func checkInvariants() {
    #if DEBUG || PSN_INTERNAL_CHECKS
      precondition(rowStart.count == nOut + 1 && rowStart[0] == 0, "mask: bad row offsets")
      precondition(Int(rowStart[nOut]) == columns.count, "mask: nnz != sum of fan-ins")
      for j in 0..<nOut {
        let a = Int(rowStart[j])
        let b = Int(rowStart[j + 1])
        precondition(a <= b, "mask: row offsets not monotone")
        for p in a..<b {
          precondition(columns[p] >= 0 && Int(columns[p]) < nIn, "mask: column out of range")
          if p > a { precondition(columns[p - 1] < columns[p], "mask: row not strictly sorted") }
        }
      }
    #endif
  }
}

public enum MaskError: Error, CustomStringConvertible, Equatable {
  case shape(String)
  public var description: String {
    switch self {
    case .shape(let m): return "invalid mask: \(m)"
    }
  }
}
