/// Runs grouped into cells by the values of chosen keys, with one metric summarised per cell:
/// the grid `table` prints (mean ± std, n).
///
/// A key names a tag (`cv`, `profile`, `seed`); when a run has no such tag, a run field of that
/// name is used instead (`method`, `dataset`, `model`, `name`, `profile`, `sizes`, `status`,
/// `psn_version`, `seed`), else the run's value is nil. Cells are sorted by their key values,
/// numerically where both values are numbers, so the table does not depend on the order the
/// runs were stored or merged in.
public struct ResultsTable: Sendable, Equatable {
  public struct Cell: Sendable, Equatable {
    /// The cell's value of each key, in `keys` order.
    public var key: [String?]
    public var sample: MetricSample
  }

  public var keys: [String]
  public var metric: RunMetric
  public var cells: [Cell]

  public init(
    runs: [RunRecord], groupBy keys: [String], metric: RunMetric = .testAccuracy, level: Double = 0.95
  ) throws(ResultsError) {
    self.keys = keys
    self.metric = metric
    // A key no run carries would put every run in one "–" cell: almost surely a misspelt tag.
    if !runs.isEmpty, let missing = keys.first(where: { k in runs.allSatisfy { $0.label(k) == nil } }) {
      // Only keys some run has a value for: a dense run has no profile, and suggesting
      // 'profile' for 'profile' would say nothing.
      let fields = RunRecord.labelFields.filter { f in runs.contains { $0.label(f) != nil } }
      let known = Array(Set(runs.flatMap(\.tags.keys)).union(fields)).sorted()
      throw .unknownKey(name: missing, suggestion: Spelling.closestMatch(to: missing, among: known), known: known)
    }
    var groups: [[String?]: [RunRecord]] = [:]
    for run in runs { groups[keys.map(run.label), default: []].append(run) }
    cells = []
    for key in groups.keys.sorted(by: Self.precedes) {
      cells.append(Cell(key: key, sample: try MetricSample(groups[key]!, metric: metric, level: level)))
    }
  }

  /// Element-wise order of cell keys: numbers numerically and before text, text by code points,
  /// nil last.
  static func precedes(_ a: [String?], _ b: [String?]) -> Bool {
    for (x, y) in zip(a, b) where x != y {
      guard let x else { return false }
      guard let y else { return true }
      switch (RunRows.number(x), RunRows.number(y)) {
      case (let p?, let q?) where p != q: return p < q
      case (.some, nil): return true
      case (nil, .some): return false
      default: return x < y
      }
    }
    return a.count < b.count
  }
}

extension RunRecord {
  /// The run fields a grouping key can name when the run has no tag of that name.
  public static let labelFields = ["method", "dataset", "model", "name", "profile", "sizes", "status", "psn_version", "seed"]

  /// The run's value for a grouping key: its tag, else the run field of that name, else nil.
  public func label(_ key: String) -> String? {
    if let tag = tags[key] { return tag }
    switch key {
    case "method": return method.rawValue
    case "dataset": return dataset
    case "model": return model
    case "name": return name
    case "profile": return profile
    case "sizes": return sizesDescription
    case "status": return status.rawValue
    case "psn_version": return psnVersion
    case "seed": return String(seed)
    default: return nil
    }
  }
}
