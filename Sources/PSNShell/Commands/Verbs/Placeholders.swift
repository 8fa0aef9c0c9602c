extension CommandSpec {
  /// `save`, `open`.
  static let persistenceCommands: [CommandSpec] = [.save, .open]
}
