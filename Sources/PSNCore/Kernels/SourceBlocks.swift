/// Where each row of a CSR structure enters each block of its source rows, for the L1-blocked
/// kernels (`SparseKernels.blockedWeightedRowSums`, `SparseKernels.sddmmWeightGrad`).
///
/// The sources (inputs of W for the forward pass and the weight gradient, outputs for the
/// transposed pass) are cut into `blockCount` blocks of `blockSize` consecutive rows (the last
/// may be shorter). Because the sources of a row are ascending, the row's connections into
/// block k are one contiguous range of positions, `start(row, k) ..< start(row, k + 1)`.
/// Stored block-major — `starts[k · R + row]`, R rows, k = 0 … blockCount — so a pass over one
/// block reads its starts sequentially. Rebuilt with the structure (RigL's mask updates), in
/// O(K + R · blockCount).
public struct SourceBlocks: Sendable, Equatable {
  /// At most this many source rows per block: 96 rows of 128 floats are 48 KiB, the size of
  /// L1. Measured on 784 → 300 at 10 % density (docs/performance.md, "Sparse kernels"): blocks
  /// of 80–196 rows all run the forward at ~72 GFLOP/s, 64 at 65–71, 32 no faster than
  /// unblocked (56), 256 at 66.
  public static let defaultBlockSize = 96
  /// Blocking pays only when a row has enough connections in each block to pay for its
  /// destination row's load and store (or, in the SDDMM, its dY row's load) per block. Measured
  /// on 784 → 300: 8.7 per block (10 % density) runs 1.3× faster blocked, 4.4 (5 %) the same,
  /// 2.6 (3 %) 0.8× as fast; the transposed kernel likewise.
  public static let minimumConnectionsPerBlock = 5.0

  public let rowCount: Int
  public let blockSize: Int
  public let blockCount: Int
  public private(set) var starts: [Int32]

  /// The blocks of a CSR structure with `rowCount` rows whose positions `rowStart[r] ..<
  /// rowStart[r + 1]` read the ascending source rows `sources[p]` out of `sourceCount`, in
  /// blocks of at most `maximumBlockSize` rows, evened out: 100 sources make two blocks of 50,
  /// not 96 and 4 (measured on 300 → 100: the transposed kernel 76 → 92 GFLOP/s).
  public init(
    rowStart: UnsafePointer<Int32>, sources: UnsafePointer<Int32>, rowCount: Int, sourceCount: Int,
    maximumBlockSize: Int = defaultBlockSize
  ) {
    precondition(maximumBlockSize > 0)
    self.rowCount = rowCount
    blockCount = Self.blockCount(sourceCount: sourceCount, maximumBlockSize: maximumBlockSize)
    blockSize = max(1, (sourceCount + blockCount - 1) / blockCount)
    var starts = [Int32](repeating: 0, count: (blockCount + 1) * rowCount)
    for r in 0..<rowCount {
      var p = Int(rowStart[r])
      let end = Int(rowStart[r + 1])
      for k in 0..<blockCount {
        starts[k * rowCount + r] = Int32(p)
        let limit = Int32((k + 1) * blockSize)
        while p < end && sources[p] < limit { p += 1 }
      }
      starts[blockCount * rowCount + r] = Int32(end)
    }
    self.starts = starts
  }

  static func blockCount(sourceCount: Int, maximumBlockSize: Int) -> Int {
    max(1, (sourceCount + maximumBlockSize - 1) / maximumBlockSize)
  }

  /// The blocks worth building for a structure of `rowStart[rowCount]` connections over
  /// `rowCount` rows and `sourceCount` sources, or nil where the unblocked kernels are as fast:
  /// a source that fits one block, or rows too sparse to fill their blocks.
  public static func ifPaying(
    rowStart: UnsafePointer<Int32>, sources: UnsafePointer<Int32>, rowCount: Int, sourceCount: Int,
    maximumBlockSize: Int = defaultBlockSize
  ) -> SourceBlocks? {
    let blocks = blockCount(sourceCount: sourceCount, maximumBlockSize: maximumBlockSize)
    guard blocks > 1, rowCount > 0 else { return nil }
    let perBlock = Double(rowStart[rowCount]) / Double(rowCount * blocks)
    guard perBlock >= minimumConnectionsPerBlock else { return nil }
    return SourceBlocks(
      rowStart: rowStart, sources: sources, rowCount: rowCount, sourceCount: sourceCount,
      maximumBlockSize: maximumBlockSize)
  }
}

extension SourceBlocks {
  /// A raw view for the kernels; valid only inside `withView`.
  public struct View {
    public let starts: UnsafePointer<Int32>
    public let rowCount: Int
    public let blockCount: Int

    /// The positions of row `row`'s connections into block `k`.
    @inline(__always)
    public func segment(_ row: Int, _ k: Int) -> Range<Int> {
      Int(starts[k * rowCount + row])..<Int(starts[(k + 1) * rowCount + row])
    }
  }

  public func withView<R>(_ body: (View) throws -> R) rethrows -> R {
    try starts.withUnsafeBufferPointer {
      try body(View(starts: $0.baseAddress!, rowCount: rowCount, blockCount: blockCount))
    }
  }
}

extension Optional where Wrapped == SourceBlocks {
  /// The view of the blocks if there are any, else nil (the unblocked kernels).
  public func withView<R>(_ body: (SourceBlocks.View?) throws -> R) rethrows -> R {
    guard let blocks = self else { return try body(nil) }
    return try blocks.withView { try body($0) }
  }
}
