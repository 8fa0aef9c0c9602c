import Foundation
import PSNCore

/// One execution of `sweep`/`repeat`: builds the grid, picks this shard's cells, skips those the
/// results database already holds, and runs the block once per remaining cell with the cell's
/// variables and tags (docs/experiments.md "Sweeps").
///
/// A cell is *done* when the database holds, among the finished runs tagged with the sweep's
/// name and the cell's settings and seed, as many as the sweep's fullest cell — so a cell whose
/// block trained two runs and was stopped after the first is run again, and its earlier partial
/// runs are deleted once the new ones are stored (they are not counted twice).
struct SweepRun {
  let ctx: CommandContext
  let keyed: Bool
  private var interpreter: Interpreter { ctx.interpreter }
  private var session: ResultsSession { ctx.interpreter.results }

  /// Tag keys a sweep sets itself, so they cannot be swept.
  static let reservedKeys: Set<String> = ["seed", "sweep", "sweep_keys"]

  init(_ ctx: CommandContext, keyed: Bool) {
    self.ctx = ctx
    self.keyed = keyed
  }

  func run() throws -> JSONValue? {
    let inv = ctx.invocation
    let axes = try keyed ? sweptAxes() : []
    let seeds = try inv.seeds("seeds") ?? [try ctx.seed()]
    let grid: SweepGrid
    do {
      grid = try SweepGrid(axes: axes, seeds: seeds)
    } catch {
      throw ShellError(error.description, at: inv.location)
    }
    let outer = session.activeSweeps.last
    let identity = SweepIdentity(
      name: try inv.string("name") ?? SweepName.fingerprint(of: ctx, axes: axes, seeds: seeds),
      keys: (outer?.keys ?? []) + axes.map(\.key))
    // Only the outermost sweep is sharded: sharding nested sweeps too would run only the cells
    // whose indices agree, not a partition of the grid.
    let shard = outer == nil ? try currentShard() : .all
    let cells = grid.cells.enumerated().filter { shard.contains(cellIndex: $0.offset) }.map(\.element)
    let db = try session.open(interpreter)
    let baseTags = interpreter.runTags.merging(
      ["sweep": identity.name, "sweep_keys": identity.keys.joined(separator: ",")], uniquingKeysWith: { _, new in new })
    func tags(_ cell: SweepCell) -> [String: String] { baseTags.merging(cell.tags) { _, new in new } }

    let rerun = try inv.bool("rerun")!
    let stored = try cells.map { try db.finishedRuns(taggedWith: tags($0)) }
    var expected = stored.map(\.count).max() ?? 0
    var pending = cells.indices.filter { rerun || stored[$0].isEmpty || stored[$0].count < expected }
    let skipped = cells.count - pending.count
    let where_ = shard == .all ? "" : " (shard \(shard) of \(grid.count) cells)"
    ctx.print("sweep \(identity.name): \(cells.count) cell\(cells.count == 1 ? "" : "s")\(where_)\(skipped > 0 ? ", \(skipped) already in \(db.path): skipped" : "")")

    let progress = SweepProgress(ctx, name: identity.name, total: pending.count)
    let savedVariables: [(String, String?)] = (axes.map(\.key) + ["seed"]).map { ($0, ctx.workspace.variables[$0]) }
    let savedTags = interpreter.runTags
    let savedPrefix = interpreter.statusPrefix
    session.activeSweeps.append(identity)
    defer {
      session.activeSweeps.removeLast()
      session.lastSweep = identity
      interpreter.runTags = savedTags
      interpreter.statusPrefix = savedPrefix
      for (key, value) in savedVariables { ctx.workspace.variables[key] = value }
    }
    interpreter.statusPrefix = { (savedPrefix?() ?? "") + progress.status() }

    var ran: [String] = []
    var done = 0
    var position = 0
    while position < pending.count {
      let i = pending[position]
      position += 1
      let cell = cells[i]
      if interpreter.interruptRequested() { interpreter.noteInterrupted() }
      let mark = session.stored.count
      do {
        if interpreter.wasInterrupted { throw Interpreter.Stop.interrupted }
        for setting in cell.settings { ctx.workspace.variables[setting.key] = setting.value }
        ctx.workspace.variables["seed"] = String(cell.seed)
        interpreter.runTags = tags(cell)
        progress.startCell(cell)
        try interpreter.execute(inv.block ?? [])
      } catch let stop as Interpreter.Stop {
        stopped(identity, done: done, of: pending.count, db)
        throw stop
      }
      let new = session.stored[mark...]
      ran += new.map(\.name)
      // Earlier partial runs of this cell are superseded by the complete set just stored.
      let superseded = stored[i].filter { old in !new.contains { $0.uuid == old } }
      if !superseded.isEmpty { try db.delete(superseded) }
      done += 1
      progress.finishCell(cell, runs: Array(new))
      // A skipped cell may turn out to hold fewer runs than this one trained: run it too.
      if new.count > expected {
        expected = new.count
        let short = cells.indices.filter { !pending.contains($0) && stored[$0].count < expected }
        pending += short
        progress.add(short.count)
      }
    }
    ctx.print("sweep \(identity.name): \(done) cell\(done == 1 ? "" : "s") run, \(ran.count) run\(ran.count == 1 ? "" : "s") stored in \(session.description)\(progress.elapsedSuffix)")
    return .obj([
      ("sweep", identity.name.json), ("keys", .array(identity.keys.map { .string($0) })),
      ("cells", grid.count.json), ("shard", shard.description.json), ("shard_cells", cells.count.json),
      ("skipped", skipped.json), ("ran", done.json), ("runs", .array(ran.map { .string($0) })),
      ("database", db.path.json),
    ])
  }

  /// The swept keys and their values, in the order typed: every setting but the sweep's own.
  private func sweptAxes() throws -> [SweepGrid.Axis] {
    let inv = ctx.invocation
    let own = Set(inv.spec.keys.map(\.name))
    let swept = inv.orderedSettings.filter { !own.contains($0.key!) }
    guard !swept.isEmpty else {
      throw ShellError("sweep needs at least one KEY=v1,v2,... to sweep (for seeds alone, use repeat seeds=...)", at: inv.location)
    }
    var axes: [SweepGrid.Axis] = []
    for setting in swept {
      let key = setting.key!
      if Self.reservedKeys.contains(key) {
        let fix = key == "seed" ? "give the seeds with seeds=" : "the sweep sets \(key) itself; choose another key"
        throw ShellError("sweep cannot sweep '\(key)' (\(fix))", at: setting.location)
      }
      do {
        try RunRecord.validateTagKey(key)
      } catch {
        throw ShellError("sweep key '\(key)': a swept key is a tag and a variable, so it takes letters, digits and _ only, starting with a letter (rename it)", at: setting.location)
      }
      var values: [String] = []
      for item in setting.value.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
        guard !item.isEmpty else {
          throw ShellError("\(key)=\(setting.value) has an empty value (list values separated by commas: \(key)=a,b)", at: setting.location)
        }
        values += try Expansion.integerRange(item, at: setting.location)?.map(String.init) ?? [item]
      }
      axes.append(SweepGrid.Axis(key, values))
    }
    return axes
  }

  /// `PSN_SHARD=I/N` (set by `psn sweep --shard`), else the whole grid.
  private func currentShard() throws -> SweepShard {
    guard let text = interpreter.environment["PSN_SHARD"] else { return .all }
    do {
      return try SweepShard(parsing: text)
    } catch {
      throw ShellError(error.description, at: ctx.invocation.location)
    }
  }

  /// What to say when the block stopped: what is safe, and how to continue.
  private func stopped(_ identity: SweepIdentity, done: Int, of total: Int, _ db: ResultsDatabase) {
    ctx.output.status(nil)
    if session.isTemporary { session.keepTemporary = true }
    let kept = session.isTemporary
      ? "; this session's database is kept: continue with results \(db.path), then the sweep again"
      : "; run the sweep again to continue: finished cells are skipped"
    ctx.note("sweep \(identity.name) stopped after \(done) of \(total) cells: every finished run is in \(db.path)\(kept)")
  }
}
