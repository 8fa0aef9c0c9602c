/// One cell of a sweep: an ordered list of key=value settings and a seed.
public struct SweepCell: Sendable, Hashable {
  public var settings: [Setting]
  public var seed: UInt64

  public struct Setting: Sendable, Hashable {
    public var key: String
    public var value: String
    public init(_ key: String, _ value: String) {
      self.key = key
      self.value = value
    }
  }

  public init(settings: [Setting], seed: UInt64) {
    self.settings = settings
    self.seed = seed
  }

  /// `cv=1.5 profile=lognormal seed=3`: the settings in order, then the seed.
  public var key: String {
    (settings.map { "\($0.key)=\($0.value)" } + ["seed=\(seed)"]).joined(separator: " ")
  }

  /// The tags a run of this cell carries: every setting, and `seed`.
  public var tags: [String: String] {
    var tags = Dictionary(settings.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    tags["seed"] = String(seed)
    return tags
  }
}

/// The Cartesian product of a sweep's keys and seeds, in a fixed order: the first key varies
/// slowest and the seed fastest, as nested loops written in the keys' order would run.
public struct SweepGrid: Sendable, Equatable {
  /// One swept key and its values, in the order they are run.
  public struct Axis: Sendable, Equatable {
    public var key: String
    public var values: [String]
    public init(_ key: String, _ values: [String]) {
      self.key = key
      self.values = values
    }
  }

  public var axes: [Axis]
  public var seeds: [UInt64]

  public init(axes: [Axis], seeds: [UInt64]) throws(SweepError) {
    var seen = Set<String>()
    for axis in axes {
      guard seen.insert(axis.key).inserted, axis.key != "seed" else { throw .repeatedKey(axis.key) }
      guard !axis.values.isEmpty else { throw .emptyAxis(axis.key) }
      if let v = Self.firstRepeat(axis.values) { throw .repeatedValue(key: axis.key, value: v) }
    }
    guard !seeds.isEmpty else { throw .emptyAxis("seed") }
    if let s = Self.firstRepeat(seeds) { throw .repeatedValue(key: "seed", value: String(s)) }
    self.axes = axes
    self.seeds = seeds
  }

  public var count: Int { axes.reduce(seeds.count) { $0 * $1.values.count } }

  /// Every cell, in grid order (mixed-radix counting with the seed as the last digit).
  public var cells: [SweepCell] {
    (0..<count).map { index in
      var rest = index
      let seed = seeds[rest % seeds.count]
      rest /= seeds.count
      var settings: [SweepCell.Setting] = []
      for axis in axes.reversed() {
        settings.append(.init(axis.key, axis.values[rest % axis.values.count]))
        rest /= axis.values.count
      }
      return SweepCell(settings: settings.reversed(), seed: seed)
    }
  }

  private static func firstRepeat<T: Hashable>(_ values: [T]) -> T? {
    var seen = Set<T>()
    return values.first { !seen.insert($0).inserted }
  }
}

/// Shard I of N of a sweep (`--shard I/N`, I from 1): cell k of the grid (0-based, grid order)
/// belongs to shard (k mod N) + 1.
///
/// Round-robin over the grid's own order rather than a hash of the cell: the grid order comes
/// from the script alone, so every machine and process computes the same assignment (Swift's
/// `Hasher` is seeded per process and could not be used; a stable hash would be, but it can
/// leave a shard empty or twice as big on a small grid). Round-robin gives shards that differ
/// by at most one cell, and since the seed varies fastest, a configuration's seeds spread over
/// the shards, so slow configurations do not pile up on one shard.
public struct SweepShard: Sendable, Hashable, CustomStringConvertible {
  /// 1-based.
  public let index: Int
  public let count: Int

  public init(index: Int, count: Int) throws(SweepError) {
    guard count >= 1 else { throw .invalidShard("\(index)/\(count)", "N must be at least 1") }
    guard (1...count).contains(index) else {
      throw .invalidShard("\(index)/\(count)", "I must be between 1 and \(count); shards are numbered from 1")
    }
    self.index = index
    self.count = count
  }

  /// Reads `I/N`.
  public init(parsing text: String) throws(SweepError) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
      throw .invalidShard(text, "write I/N, e.g. 2/4 for the second of four shards")
    }
    try self.init(index: i, count: n)
  }

  /// The whole sweep as one shard.
  public static let all = try! SweepShard(index: 1, count: 1)

  public var description: String { "\(index)/\(count)" }

  /// Whether cell k (0-based, in grid order) is this shard's.
  public func contains(cellIndex k: Int) -> Bool { k % count == index - 1 }

  /// This shard's cells of `cells`, in their order. Refuses a list with a repeated cell, which
  /// would run twice.
  public func cells(of cells: [SweepCell]) throws(SweepError) -> [SweepCell] {
    var seen = Set<String>()
    for cell in cells where !seen.insert(cell.key).inserted { throw .repeatedCell(cell.key) }
    return cells.enumerated().filter { contains(cellIndex: $0.offset) }.map(\.element)
  }
}

public enum SweepError: Error, CustomStringConvertible, Equatable, Sendable {
  case invalidShard(String, String)
  case repeatedKey(String)
  case repeatedValue(key: String, value: String)
  case emptyAxis(String)
  case repeatedCell(String)

  public var description: String {
    switch self {
    case .invalidShard(let text, let fix): return "--shard \(text): not a shard (\(fix))"
    case .repeatedKey(let key):
      return key == "seed"
        ? "sweep: 'seed' is the seed axis, not a key (give the seeds separately)"
        : "sweep: key '\(key)' is given twice (give each key once, with all its values)"
    case .repeatedValue(let key, let value):
      return "sweep: \(key)=\(value) is listed twice (each value once; repeat runs with more seeds)"
    case .emptyAxis(let key): return "sweep: '\(key)' has no values (give at least one)"
    case .repeatedCell(let key): return "sweep: cell '\(key)' appears twice (it would run twice; list each cell once)"
    }
  }
}
