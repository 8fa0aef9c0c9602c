extension CommandSpec {
  /// Sweeps and results (`repeat`, `sweep`, `table`, `compare`, `export`).
  static let experimentCommands: [CommandSpec] = []
  /// `save`, `open`.
  static let persistenceCommands: [CommandSpec] = [.save, .open]
}
