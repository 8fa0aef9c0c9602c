/// Tab completion for psn's command language, read off the command declarations and the
/// workspace, so a new verb, key or profile family completes without touching this file.
///
/// At the cursor it offers, by what the partial word can be there:
/// - the first word: verbs and their aliases, and `for`;
/// - subcommand words (`train rigl`, `profile lognormal`, `show hubs`) while the command can
///   still take one;
/// - `key=` names the command accepts at that point, its parents' keys included, except those
///   already given;
/// - after `key=`: the values of choice, bool and layer keys (`optimizer=a` → `adam`, `adamw`),
///   workspace names for name keys (of the declared kind; not for `as=`, which names a new
///   object), file paths for path keys;
/// - positional words by their declared type the same way (`use`, `drop`, `run FILE`);
/// - `$NAME` from the variables that are set; after `help`, command words and topics.
///
/// Nothing is offered inside comments, nor inside quotes except a path (`run "my s` → `run "my
/// script.psn"`) and, between double quotes, `$NAME`; paths that need quotes are offered quoted.
public struct Completer: Sendable {
  public var registry: CommandRegistry
  public var files: FileSystemView

  public init(registry: CommandRegistry = .standard, files: FileSystemView = .disk) {
    self.registry = registry
    self.files = files
  }

  /// What Tab offers for `prefix`, the text of the line before the cursor.
  public func complete(_ prefix: String, workspace: Workspace) -> Completion {
    guard let command = PartialCommand(prefix) else { return .none() }
    let typed = command.partial
    if let variables = variableCandidates(typed, workspace) { return Completion(word: typed, candidates: variables) }
    guard let first = command.words.first else {
      return Completion(word: typed, candidates: matching(registry.allNames + ["for"], typed))
    }
    if first.isLiteral("for") {
      // for NAME in VALUES { ... }: only the keyword `in` is known in advance.
      return Completion(word: typed, candidates: command.words.count == 2 ? matching(["in"], typed) : [])
    }
    guard first.key == nil, let verb = registry.command(named: PartialCommand.literal(first.parts)) else {
      return .none(typed)
    }
    if verb.name == CommandSpec.help.name {
      return Completion(word: typed, candidates: helpCandidates(Array(command.words.dropFirst()), typed))
    }
    var point = CommandPoint(verb)
    for word in command.words.dropFirst() { point.take(word) }
    return Completion(word: typed, candidates: candidates(at: point, typed, workspace))
  }

  private func candidates(at point: CommandPoint, _ typed: String, _ workspace: Workspace) -> [Completion.Candidate] {
    if let key = Self.key(of: typed) {
      guard key != "as", let spec = point.acceptedKeys.first(where: { $0.name == key }) else { return [] }
      let prefix = key + "="
      return values(of: spec.type, String(typed.dropFirst(prefix.count)), workspace).map {
        Completion.Candidate(prefix + $0.text, isComplete: $0.isComplete)
      }
    }
    let subcommands = point.canTakeSubcommand ? matching(point.spec.subcommands.flatMap(\.names), typed) : []
    if point.needsSubcommand && typed.isEmpty { return subcommands }
    var out = subcommands
    if let type = point.nextPositionalType { out += values(of: type, typed, workspace) }
    let keys = point.acceptedKeys.filter { !point.givenKeys.contains($0.name) }.map { $0.name + "=" }
    out += matching(keys, typed, isComplete: false)
    if typed.hasPrefix("-") { out += matching(["--json"], typed) }
    return out
  }

  /// The words a value of `type` can be, among those starting with `typed`.
  private func values(of type: ValueType, _ typed: String, _ workspace: Workspace) -> [Completion.Candidate] {
    switch type {
    case .choice(let choices): matching(choices, typed)
    case .bool: matching(["true", "false"], typed)
    case .layers: matching(["all", "none"], typed)
    case .name(let kind): matching(kind.map { workspace.names(of: $0) } ?? workspace.names, typed)
    case .wordOrName(let words, let kind): matching(words + workspace.names(of: kind), typed)
    case .path: files.completions(of: typed)
    case .int, .double, .string, .intList, .seeds, .text: []
    }
  }

  /// `help WORD ...` names a command and its subcommand words, or a topic.
  private func helpCandidates(_ words: [Word], _ typed: String) -> [Completion.Candidate] {
    let path = words.filter { $0.key == nil }.map { PartialCommand.literal($0.parts) }
    guard let first = path.first else {
      return matching(registry.allNames + Help.topics.map(\.name), typed)
    }
    guard var spec = registry.command(named: first) else { return [] }
    for word in path.dropFirst() {
      guard let sub = spec.subcommand(named: word) else { return [] }
      spec = sub
    }
    return matching(spec.subcommands.flatMap(\.names), typed)
  }

  /// `$NAME` at the end of the partial word (`echo $se`, `as=ln-$c`): the variables that are set.
  /// Inside double quotes no space follows: it would become part of the text.
  private func variableCandidates(_ typed: String, _ workspace: Workspace) -> [Completion.Candidate]? {
    // Not inside single quotes, where `$` is only a character (the lexer's own reading of the word).
    let end = PartialCommand.state(atEndOf: typed)
    guard let dollar = typed.lastIndex(of: "$"), end != .quote("'") else { return nil }
    let name = typed[typed.index(after: dollar)...]
    guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
    let head = String(typed[..<dollar]) + "$"
    return workspace.variables.keys.filter { $0.hasPrefix(name) }.map { Completion.Candidate(head + $0, isComplete: end == .code) }
  }

  /// The key of a partial `key=value` word, by the parser's own rule (Word.key).
  private static func key(of typed: String) -> String? {
    Word(parts: [.text(typed, quoted: false)], location: SourceLocation(source: "", line: 1, column: 1)).key
  }

  private func matching(_ words: [String], _ typed: String, isComplete: Bool = true) -> [Completion.Candidate] {
    words.filter { $0.hasPrefix(typed) }.map { Completion.Candidate($0, isComplete: isComplete) }
  }
}

/// Where a partly typed command stands, walked the way `CommandRegistry.resolve` reads it: the
/// first non-key words select subcommands, later ones are positionals, keys may come anywhere.
struct CommandPoint {
  /// The command or subcommand selected so far.
  private(set) var spec: CommandSpec
  /// Its keys and those of its parents (a subcommand's own key wins over a parent's).
  private(set) var keys: [KeySpec]
  private(set) var positionalCount = 0
  private(set) var givenKeys: Set<String> = []

  init(_ verb: CommandSpec) {
    spec = verb
    keys = verb.keys
  }

  mutating func take(_ word: Word) {
    if let key = word.key {
      givenKeys.insert(key)
      return
    }
    let text = PartialCommand.literal(word.parts)
    if text == "--json" { return }
    if canTakeSubcommand, let sub = spec.subcommand(named: text) {
      keys = Self.inherit(keys, into: sub)
      spec = sub
      return
    }
    positionalCount += 1
  }

  private static func inherit(_ keys: [KeySpec], into sub: CommandSpec) -> [KeySpec] {
    sub.keys + keys.filter { k in !sub.keys.contains { $0.name == k.name } }
  }

  /// The subcommand used if none is named (`model` means `model mlp`).
  private var defaultSubcommand: CommandSpec? {
    guard canTakeSubcommand else { return nil }
    return spec.defaultSubcommand.flatMap { spec.subcommand(named: $0) }
  }

  /// A subcommand word can come next: the command has some and no positional word was given.
  var canTakeSubcommand: Bool { !spec.subcommands.isEmpty && positionalCount == 0 }

  /// The command cannot run without a subcommand word (`train` needs a method).
  var needsSubcommand: Bool {
    canTakeSubcommand && spec.defaultSubcommand == nil && spec.positionals.isEmpty
  }

  /// Keys valid here: the path's keys, and the default subcommand's while none is named.
  var acceptedKeys: [KeySpec] {
    defaultSubcommand.map { Self.inherit(keys, into: $0) } ?? keys
  }

  /// The type of the next positional word, if the command takes one more.
  var nextPositionalType: ValueType? {
    let declared = (defaultSubcommand ?? spec).positionals
    if positionalCount < declared.count { return declared[positionalCount].type }
    return declared.last.flatMap { $0.variadic ? $0.type : nil }
  }
}
