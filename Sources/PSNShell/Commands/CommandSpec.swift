import PSNCore

/// One command of the language, declared once: its name, words, keys with types and defaults,
/// help text, examples and handler. The parser, `help`, tab completion and "did you mean" all
/// read this declaration (docs/language.md; style.md "Commands are declared once").
public struct CommandSpec: Sendable {
  public enum Group: String, CaseIterable, Sendable {
    case data, model, training, analysis, experiments, workspace, language
    public var title: String {
      switch self {
      case .data: "Data"
      case .model: "Models and profiles"
      case .training: "Training"
      case .analysis: "Analysis"
      case .experiments: "Experiments"
      case .workspace: "Workspace"
      case .language: "Language"
      }
    }
  }

  /// What a handler returns: the command's result as JSON for `--json` (nil prints nothing).
  public typealias Handler = @Sendable (CommandContext) throws -> JSONValue?

  public var name: String
  public var aliases: [String]
  public var group: Group
  /// One line for `help`.
  public var summary: String
  /// More lines for `help VERB`.
  public var details: String?
  public var positionals: [PositionalSpec]
  /// Keys this command takes; subcommands inherit them.
  public var keys: [KeySpec]
  /// Words that select a variant with keys of its own (`show hubs`, `train rigl`, `profile lognormal`).
  public var subcommands: [CommandSpec]
  /// What the subcommand word names, for errors: "profile family" gives "unknown profile family
  /// 'lognorml' (did you mean 'lognormal'?)".
  public var subcommandNoun: String?
  /// The subcommand used when none is named (e.g. `model` means `model mlp`).
  public var defaultSubcommand: String?
  /// Whether the command takes a `{ ... }` block (`repeat`, `sweep`).
  public var takesBlock: Bool
  /// Whether a failure restores the workspace to what it was before the command (every command
  /// but those that run blocks: their inner commands are restored one by one).
  public var transactional: Bool
  /// How words that are not declared are taken.
  public var words: WordPolicy
  public var examples: [String]
  public var handler: Handler?

  public enum WordPolicy: Sendable {
    /// Only declared keys and positionals (the usual).
    case declared
    /// Any `key=value` (`set`).
    case anyKeys
    /// Every word is a positional, `key=value` ones included (`echo`).
    case allPositional
  }

  public init(
    _ name: String, aliases: [String] = [], group: Group, summary: String, details: String? = nil,
    positionals: [PositionalSpec] = [], keys: [KeySpec] = [], subcommands: [CommandSpec] = [],
    subcommandNoun: String? = nil,
    defaultSubcommand: String? = nil, takesBlock: Bool = false, transactional: Bool = true,
    words: WordPolicy = .declared, examples: [String] = [], handler: Handler? = nil
  ) {
    self.name = name
    self.aliases = aliases
    self.group = group
    self.summary = summary
    self.details = details
    self.positionals = positionals
    self.keys = keys
    self.subcommands = subcommands
    self.subcommandNoun = subcommandNoun
    self.defaultSubcommand = defaultSubcommand
    self.takesBlock = takesBlock
    self.transactional = transactional
    self.words = words
    self.examples = examples
    self.handler = handler
  }

  /// Every spelling of the command.
  public var names: [String] { [name] + aliases }

  public func subcommand(named word: String) -> CommandSpec? {
    subcommands.first { $0.names.contains(word.lowercased()) }
  }
}

/// A positional word of a command (`load WORD`, `show neuron L:J`).
public struct PositionalSpec: Sendable {
  public var name: String
  public var type: ValueType
  public var help: String
  public var optional: Bool
  /// Takes every remaining word.
  public var variadic: Bool

  public init(_ name: String, _ type: ValueType, _ help: String, optional: Bool = false, variadic: Bool = false) {
    self.name = name
    self.type = type
    self.help = help
    self.optional = optional
    self.variadic = variadic
  }
}

/// A `key=value` a command accepts.
public struct KeySpec: Sendable {
  public var name: String
  public var type: ValueType
  /// The value used when the key is absent, as a user would write it; nil = no default.
  public var defaultValue: String?
  public var help: String

  public init(_ name: String, _ type: ValueType, default defaultValue: String? = nil, _ help: String) {
    self.name = name
    self.type = type
    self.defaultValue = defaultValue
    self.help = help
  }
}

/// The kinds of objects the workspace holds.
public enum ObjectKind: String, CaseIterable, Sendable {
  case dataset, profile, model, run
}

/// What a key or positional word accepts; used to validate, to complete and in help.
public enum ValueType: Sendable {
  case int(ClosedRange<Int>?)
  case double(ClosedRange<Double>?)
  case bool
  case string
  case choice([String])
  /// Comma-separated whole numbers (`hidden=300,100`).
  case intList
  /// 1-based layer numbers: `1,3`, `none`, or `all`.
  case layers
  /// A workspace object's name, optionally of one kind.
  case name(ObjectKind?)
  /// One of a few fixed words, or else the name of a workspace object of a kind
  /// (`init=erk|uniform|PROFILE`).
  case wordOrName([String], ObjectKind)
  /// A file or directory path.
  case path
  /// Seeds: `1..10`, `3`, or `1,4,9`.
  case seeds
  /// A free word (an expression, a neuron `L:J`).
  case text

  /// How help shows the type.
  public var placeholder: String {
    switch self {
    case .int: "N"
    case .double: "X"
    case .bool: "true|false"
    case .string, .text: "TEXT"
    case .choice(let c): c.joined(separator: "|")
    case .intList: "N,N,..."
    case .layers: "L,L,...|none|all"
    case .name(let kind): (kind?.rawValue ?? "name").uppercased()
    case .wordOrName(let words, let kind): (words + [kind.rawValue.uppercased()]).joined(separator: "|")
    case .path: "PATH"
    case .seeds: "A..B|N,N,..."
    }
  }
}
