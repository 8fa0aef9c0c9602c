import PSNCore

extension CommandSpec {
  /// Keys of `sweep` and `repeat` that are not swept.
  private static let sweepOwnKeys: [KeySpec] = [
    KeySpec("seeds", .seeds, "the seeds of every cell: 1..5 or 1,4,9 (default: $seed, else 1); the innermost axis"),
    KeySpec("name", .string, "the sweep's name, tagged on its runs (default: its keys and a fingerprint of the block and the variables it reads)"),
    KeySpec("rerun", .bool, default: "false", "run cells the results database already holds again, replacing their runs"),
  ]

  static let sweep = CommandSpec(
    "sweep", group: .experiments,
    summary: "run a block once per cell of a grid of KEY=v1,v2,... and seeds, storing every run",
    details: """
      Each cell sets its keys and $seed as variables, tags the runs its block trains with them
      (and sweep=NAME), and stores them in the results database as they finish. Values are comma
      lists; whole-number ranges A..B count. Cells run in grid order, the first key slowest and
      the seed fastest. A cell whose runs the database already holds is skipped, so a sweep
      stopped by Ctrl-C continues where it stopped when run again. Under psn sweep --shard I/N
      only shard I's cells run. Then: table, compare, correlate (docs/experiments.md).
      """,
    keys: sweepOwnKeys, takesBlock: true, transactional: false, words: .anyKeys,
    examples: [
      "sweep profile=lognormal,random seeds=1..3 { profile $profile sparsity=0.9; train static epochs=1 }",
      "sweep cv=0.5,1,2 sparsity=0.9,0.99 seeds=1..5 name=cv-grid { profile lognormal cv=$cv sparsity=$sparsity; train static epochs=1 }",
    ],
    handler: { ctx in try SweepRun(ctx, keyed: true).run() })

  static let repeatSeeds = CommandSpec(
    "repeat", group: .experiments,
    summary: "run a block once per seed ($seed), storing every run: a sweep with no keys",
    details: "repeat seeds=1..10 { ... } is sweep seeds=1..10 { ... }: the same tags, skipping and shards.",
    keys: sweepOwnKeys, takesBlock: true, transactional: false,
    examples: ["repeat seeds=1..3 { train static epochs=1 }", "repeat seeds=1,2 name=dense-baseline { train dense epochs=1 }"],
    handler: { ctx in try SweepRun(ctx, keyed: false).run() })
}
