extension CommandRegistry {
  /// Every command psn has, in the order `help` lists them within each group.
  public static let standard: CommandRegistry = {
    let core: [CommandSpec] = [.load, .model, .profile, .train, .resume, .eval, .show]
    let workspace: [CommandSpec] = [.ls, .use, .rename, .drop]
    let language: [CommandSpec] = [.set, .defaultVariables, .unset, .echo, .run, .help]
    var all = core
    all += CommandSpec.analysisCommands
    all += CommandSpec.experimentCommands
    all += workspace
    all += CommandSpec.persistenceCommands
    all += language
    return CommandRegistry(all)
  }()
}
