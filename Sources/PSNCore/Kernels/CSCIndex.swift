/// The transposed (column-major) index of a CSR mask, for the backward pass Wᵀ · dY.
///
/// Column i lists the outputs o that read input i (`rows`, ascending) and, for each, the position
/// of W[o, i] in the CSR value array (`valueIndex`), so the values stay in one place (CSR order)
/// and only the index is transposed. Rebuilt whenever the mask changes (RigL updates), O(K + I)
/// and, with `blocks`, O(I · blocks) more.
public struct CSCIndex: Sendable {
  public let nIn: Int
  public private(set) var columnStart: [Int32]
  public private(set) var rows: [Int32]
  public private(set) var valueIndex: [Int32]
  /// The outputs cut into blocks for the L1-blocked transposed kernel, where that pays
  /// (`SourceBlocks.ifPaying`).
  public private(set) var blocks: SourceBlocks?

  public init(_ mask: Mask) {
    nIn = mask.nIn
    var start = [Int32](repeating: 0, count: mask.nIn + 1)
    for c in mask.columns { start[Int(c) + 1] += 1 }
    for i in 0..<mask.nIn { start[i + 1] += start[i] }
    var next = start
    var rows = [Int32](repeating: 0, count: mask.nnz)
    var valueIndex = [Int32](repeating: 0, count: mask.nnz)
    for o in 0..<mask.nOut {
      for p in Int(mask.rowStart[o])..<Int(mask.rowStart[o + 1]) {
        let i = Int(mask.columns[p])
        let q = Int(next[i])
        rows[q] = Int32(o)
        valueIndex[q] = Int32(p)
        next[i] += 1
      }
    }
    columnStart = start
    self.rows = rows
    self.valueIndex = valueIndex
    blocks = SourceBlocks.ifPaying(rowStart: start, sources: rows, rowCount: mask.nIn, sourceCount: mask.nOut)
  }

  /// Raw views for the kernels; valid only inside `withPointers`.
  public struct Pointers: ~Copyable {
    public let columnStart: UnsafePointer<Int32>
    public let rows: UnsafePointer<Int32>
    public let valueIndex: UnsafePointer<Int32>
    public let blocks: SourceBlocks.View?

    public init(
      columnStart: UnsafePointer<Int32>, rows: UnsafePointer<Int32>,
      valueIndex: UnsafePointer<Int32>, blocks: SourceBlocks.View? = nil
    ) {
      self.columnStart = columnStart
      self.rows = rows
      self.valueIndex = valueIndex
      self.blocks = blocks
    }
  }

  public func withPointers<R>(_ body: (borrowing Pointers) throws -> R) rethrows -> R {
    try columnStart.withUnsafeBufferPointer { cs in
      try rows.withUnsafeBufferPointer { r in
        try valueIndex.withUnsafeBufferPointer { v in
          let rp = r.baseAddress ?? UnsafePointer(bitPattern: 8)!
          let vp = v.baseAddress ?? UnsafePointer(bitPattern: 8)!
          guard let blocks else {
            return try body(Pointers(columnStart: cs.baseAddress!, rows: rp, valueIndex: vp))
          }
          return try blocks.withView { b in
            try body(Pointers(columnStart: cs.baseAddress!, rows: rp, valueIndex: vp, blocks: b))
          }
        }
      }
    }
  }
}
