extension CommandSpec {
  /// Sweeps and the results database (docs/experiments.md): run a block over seeds and a grid,
  /// then summarise, compare and export what was stored.
  static let experimentCommands: [CommandSpec] = [
    repeatSeeds, sweep, table, compare, correlate, results, merge, export,
  ]
}
