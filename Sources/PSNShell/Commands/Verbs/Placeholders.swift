extension CommandSpec {
  /// Analysis views under `show` (fanin, profile, hubs, neuron, gradients, rigl, equilibrium).
  static let analysisShowCommands: [CommandSpec] = []
  /// Analysis verbs (`analyze`).
  static let analysisCommands: [CommandSpec] = []
  /// Sweeps and results (`repeat`, `sweep`, `table`, `compare`, `export`).
  static let experimentCommands: [CommandSpec] = []
  /// `save`, `open`.
  static let persistenceCommands: [CommandSpec] = [.save, .open]
}
