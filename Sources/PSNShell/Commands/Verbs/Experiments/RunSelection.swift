import PSNCore

/// The runs `table`, `compare` and `correlate` summarise: the runs of one sweep — `sweep=NAME`,
/// by default the sweep this session ran last, else the newest sweep in the database — or every
/// run (`sweep=all`), restricted further by `where=` (docs/results.md "Filtering runs").
struct RunSelection {
  /// nil: every run, not one sweep's.
  var sweep: SweepIdentity?
  var runs: [RunRecord]
  var database: ResultsDatabase

  static let sweepKey = KeySpec("sweep", .string, "which sweep's runs: a name, or all (default: the last sweep run here, else the newest in the database)")
  static let whereKey = KeySpec("where", .text, "an SQL condition on runs columns and tags, e.g. \"sparsity >= 0.9 and method = 'rigl'\"")
  static let metricKey = KeySpec("metric", .string, default: "test_accuracy", "the number to summarise: a runs column (test_accuracy, val_loss, wall_seconds, ...) or COLUMN@L for a layer (fanin_cv@1, gradient_concentration@1)")
  static let levelKey = KeySpec("level", .double(0.5...0.999), default: "0.95", "confidence level of the intervals")

  /// The runs grouped by `keys` into a table, a key no run carries reported at the word that
  /// named it: a positional, else the setting among `settings` (cols=, by=) that holds it.
  static func table(
    _ runs: [RunRecord], groupBy keys: [String], metric: RunMetric, level: Double = 0.95,
    _ inv: Invocation, keysFrom settings: [String]
  ) throws(ShellError) -> ResultsTable {
    do {
      return try ResultsTable(runs: runs, groupBy: keys, metric: metric, level: level)
    } catch {
      var at = inv.location
      if case .unknownKey(let name, _, _) = error {
        let setting = settings.compactMap { inv.settings[$0] }.first { $0.value.split(separator: ",").contains(Substring(name)) }
        at = inv.positionals.first { $0.value == name }?.location ?? setting?.location ?? at
      }
      throw ShellError(error.description, at: at)
    }
  }

  init(_ ctx: CommandContext, details: RunDetails) throws {
    let inv = ctx.invocation
    database = try ctx.interpreter.results.open(ctx.interpreter)
    let filter = try inv.string("where")
    let all: [RunRecord]
    do {
      all = try database.runs(where: filter, details: details)
    } catch {
      throw ShellError(error.description, at: inv.settings["where"]?.location ?? inv.location)
    }
    let requested = try inv.string("sweep")
    if requested == "all" {
      sweep = nil
      runs = all
      return
    }
    let known = Self.sweeps(in: all)
    if let requested {
      guard let found = known.first(where: { $0.name == requested }) else {
        let names = known.map(\.name)
        let hint = Spelling.closestMatch(to: requested, among: names).map { "did you mean '\($0)'? " } ?? ""
        let list = names.isEmpty ? "no run of a sweep is stored" : "sweeps: " + names.joined(separator: ", ")
        throw ShellError("no runs of sweep '\(requested)' in \(database.path)\(filter == nil ? "" : " where \(filter!)") (\(hint)\(list); sweep=all takes every run)", at: inv.settings["sweep"]?.location)
      }
      sweep = found
    } else if let last = ctx.interpreter.results.lastSweep {
      sweep = last
    } else {
      sweep = known.last
    }
    runs = sweep.map { s in all.filter { $0.tags["sweep"] == s.name } } ?? all
  }

  /// `sweep static-profiles` or `all runs`, for headings.
  var title: String { sweep.map { "sweep \($0.name)" } ?? "all runs" }

  /// The sweeps among `runs`, oldest first (by their newest run), with the keys their runs carry.
  static func sweeps(in runs: [RunRecord]) -> [SweepIdentity] {
    var newest: [String: (date: Double, keys: [String])] = [:]
    for run in runs {
      guard let name = run.tags["sweep"] else { continue }
      let keys = run.tags["sweep_keys"].map { $0.split(separator: ",").map(String.init) } ?? []
      let date = run.recordedAt.timeIntervalSince1970
      if date >= newest[name]?.date ?? -.infinity { newest[name] = (date, keys) }
    }
    return newest.sorted { ($0.value.date, $0.key) < ($1.value.date, $1.key) }.map { SweepIdentity(name: $0.key, keys: $0.value.keys) }
  }

  /// The metric named by `metric=`.
  static func metric(_ inv: Invocation, key: String = "metric") throws -> RunMetric {
    let text = try inv.string(key)!
    do {
      return try RunMetric(parsing: text)
    } catch {
      throw ShellError(error.description, at: inv.settings[key]?.location ?? inv.location)
    }
  }

  /// The error for metrics no selected run has: a layer past the runs' last, or a gradient
  /// metric of runs trained without neuron statistics.
  func noValues(_ metrics: [RunMetric], at location: SourceLocation) -> ShellError {
    let names = metrics.map(\.description).joined(separator: " and ")
    let depth = runs.map(\.sizes.count).max().map { $0 - 1 } ?? 0
    var why: [String] = []
    if let l = metrics.compactMap(\.layer).max(), l > depth { why.append("the runs have layers 1–\(depth)") }
    if metrics.contains(where: { [.gradientConcentration, .fanInGradientR].contains($0.quantity) }) {
      why.append("gradient metrics need runs trained with stats=true")
    }
    if runs.isEmpty { why = ["\(title) holds no runs"] }
    return ShellError("no run of \(title) has \(names) (\(why.isEmpty ? "choose another metric" : why.joined(separator: "; ")))", at: location)
  }

  /// Under `psn sweep --shard`, a results command sees only its shard's runs: it says so and
  /// does nothing (the report after the merge prints the whole table).
  static func skippedInShard(_ ctx: CommandContext) -> Bool {
    guard let shard = ctx.interpreter.environment["PSN_SHARD"] else { return false }
    ctx.note("(\(ctx.invocation.commandName) skipped in shard \(shard): this process holds only its shard's runs; merge the shards first)")
    return true
  }
}

extension RunMetric {
  /// Whether values are fractions best read as percentages.
  var isAccuracy: Bool { [.trainAccuracy, .validationAccuracy, .testAccuracy].contains(quantity) }

  /// A value as tables print it: accuracies in percent, times as durations, rates in SI.
  func format(_ x: Double?) -> String {
    switch quantity {
    case _ where isAccuracy: return Format.percent(x)
    case .wallSeconds: return x.map(Format.duration) ?? "–"
    case .samplesPerSecond: return x.map(Format.si) ?? "–"
    case .trainLoss, .validationLoss, .testLoss, .sparsity: return Format.fixed(x, 4)
    default: return Format.fixed(x, 3)
    }
  }

  /// A difference or spread, signed when `signed`: accuracies in percentage points.
  func formatDifference(_ x: Double?, signed: Bool = true) -> String {
    guard let x, x.isFinite else { return "–" }
    let sign = signed && x >= 0 ? "+" : ""
    switch quantity {
    case _ where isAccuracy: return sign + Format.percent(x)
    case .wallSeconds: return sign + Format.fixed(x, 1) + "s"
    case .samplesPerSecond: return sign + Format.si(x)
    case .trainLoss, .validationLoss, .testLoss, .sparsity: return sign + Format.fixed(x, 4)
    default: return sign + Format.fixed(x, 3)
    }
  }
}
