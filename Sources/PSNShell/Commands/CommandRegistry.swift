import PSNCore

/// Every command of the language, looked up by name or alias.
public struct CommandRegistry: Sendable {
  public var commands: [CommandSpec]

  public init(_ commands: [CommandSpec]) {
    self.commands = commands
  }

  public func command(named word: String) -> CommandSpec? {
    commands.first { $0.names.contains(word.lowercased()) }
  }

  /// Every verb's name and aliases, for completion and suggestions.
  public var allNames: [String] { commands.flatMap(\.names) }

  /// Matches expanded words to a command: the verb, then subcommand words, then positionals and
  /// `key=value` settings checked against the declared keys.
  public func resolve(
    _ arguments: [Invocation.Argument], block: [Statement]?, location: SourceLocation, text: String
  ) throws(ShellError) -> Invocation {
    var arguments = arguments
    let wantsJSON = arguments.contains { $0.key == nil && $0.value == "--json" }
    arguments.removeAll { $0.key == nil && $0.value == "--json" }
    guard let first = arguments.first else { throw ShellError("empty command", at: location) }
    guard first.key == nil, var spec = command(named: first.value) else {
      let word = first.key.map { "\($0)=" } ?? first.value
      let hint = Spelling.closestMatch(to: first.key ?? first.value, among: allNames)
        .map { " (did you mean '\($0)'?)" } ?? " (type help for the list of commands)"
      throw ShellError("unknown command '\(word)'\(hint)", at: first.location)
    }
    var path = [spec.name]
    var keys = spec.keys
    var rest = Array(arguments.dropFirst())
    // Descend into subcommands while the next positional word names one.
    while !spec.subcommands.isEmpty {
      let next = rest.firstIndex { $0.key == nil }
      if let i = next, let sub = spec.subcommand(named: rest[i].value) {
        rest.remove(at: i)
        spec = sub
      } else if let name = spec.defaultSubcommand, let sub = spec.subcommand(named: name) {
        spec = sub
      } else if !spec.positionals.isEmpty {
        break
      } else {
        let choices = spec.subcommands.map(\.name)
        guard let i = next else {
          throw ShellError("\(path.joined(separator: " ")) needs one of: \(choices.joined(separator: ", ")) (see help \(path[0]))", at: first.location)
        }
        let hint = Spelling.closestMatch(to: rest[i].value, among: spec.subcommands.flatMap(\.names))
          .map { "did you mean '\($0)'? " } ?? ""
        if let noun = spec.subcommandNoun {
          let fix = hint.isEmpty ? "should be one of \(choices.joined(separator: ", "))" : String(hint.dropLast())
          throw ShellError("unknown \(noun) '\(rest[i].value)' (\(fix))", at: rest[i].location)
        }
        throw ShellError("\(path.joined(separator: " ")) has no '\(rest[i].value)' (\(hint)choose one of \(choices.joined(separator: ", ")))", at: rest[i].location)
      }
      path.append(spec.name)
      keys = spec.keys + keys.filter { k in !spec.keys.contains { $0.name == k.name } }
    }
    var positionals: [Invocation.Argument] = []
    var settings: [String: Invocation.Argument] = [:]
    var ordered: [Invocation.Argument] = []
    let name = path.joined(separator: " ")
    for var argument in rest {
      if spec.words == .allPositional, let key = argument.key {
        argument.value = key + "=" + argument.value
        argument.key = nil
      }
      if let key = argument.key {
        if spec.words == .anyKeys && !keys.contains(where: { $0.name == key }) {
          keys.append(KeySpec(key, .text, "a variable"))
        }
        guard keys.contains(where: { $0.name == key }) else {
          let names = keys.map(\.name)
          let hint = Spelling.closestMatch(to: key, among: names).map { "did you mean '\($0)='? " } ?? ""
          let list = names.isEmpty ? "\(name) takes no keys" : "\(name) takes: " + names.map { $0 + "=" }.joined(separator: " ")
          throw ShellError("\(name) has no key '\(key)' (\(hint)\(list))", at: argument.location)
        }
        settings[key] = argument
        ordered.append(argument)
      } else {
        let declared = spec.positionals
        let index = positionals.count
        guard index < declared.count || (declared.last?.variadic ?? false) else {
          let expected = declared.isEmpty ? "\(name) takes no words besides key=value" : "\(name) takes \(declared.map { $0.name.uppercased() }.joined(separator: " "))"
          throw ShellError("unexpected word '\(argument.value)' (\(expected); see help \(path[0]))", at: argument.location)
        }
        let p = declared[min(index, declared.count - 1)]
        do {
          try ValueParser.check(argument.value, p.name, p.type)
        } catch {
          throw ShellError(error.message, at: argument.location)
        }
        positionals.append(argument)
      }
    }
    let required = spec.positionals.filter { !$0.optional }.count
    if positionals.count < required {
      let missing = spec.positionals[positionals.count]
      throw ShellError("\(name) needs \(missing.name.uppercased()): \(missing.help) (see help \(path[0]))", at: location)
    }
    if block != nil && !spec.takesBlock {
      throw ShellError("\(name) does not take a { ... } block", at: location)
    }
    if block == nil && spec.takesBlock {
      throw ShellError("\(name) needs a block: \(name) ... { commands }", at: location)
    }
    let invocation = Invocation(
      path: path, spec: spec, keySpecs: keys, positionals: positionals, settings: settings,
      orderedSettings: ordered, block: block, location: location, text: text, wantsJSON: wantsJSON)
    try invocation.validateAll()
    return invocation
  }
}
