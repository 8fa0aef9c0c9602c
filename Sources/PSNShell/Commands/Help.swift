import PSNCore

/// Help text, derived from the command declarations (and, for profiles, from the family table).
public enum Help {
  /// Concepts `help TOPIC` explains, each pointing at its page in docs/.
  public struct Topic: Sendable {
    public let name: String
    public let summary: String
    public let text: @Sendable () -> String
  }

  public static let topics: [Topic] = [
    Topic(name: "language", summary: "the command language: words, keys, variables, loops, scripts", text: { languageTopic }),
    Topic(name: "data", summary: "datasets psn loads and where it looks for their files", text: { dataTopic }),
    Topic(name: "profiles", summary: "fan-in profiles: every family, its formula and keys", text: { profilesTopic }),
    Topic(name: "training", summary: "the model, optimizers, schedules and what train reports", text: { trainingTopic }),
    Topic(name: "rigl", summary: "RigL and SET dynamic sparse training, and the fan-in equilibrium", text: { riglTopic }),
    Topic(name: "analysis", summary: "hubs, gradient concentration and the other analysis views", text: { analysisTopic }),
    Topic(name: "workspace", summary: "named objects, the current ones, save and open", text: { workspaceTopic }),
  ]

  /// `help`: every command by group, then the topics.
  public static func overview(_ registry: CommandRegistry) -> String {
    var lines = ["psn — Profiled Sparse Networks. help VERB shows a command's keys and examples; help TOPIC explains a concept."]
    let width = ((registry.commands.map(\.name) + topics.map(\.name)).map(\.count).max() ?? 8) + 2
    for group in CommandSpec.Group.allCases {
      let commands = registry.commands.filter { $0.group == group }
      guard !commands.isEmpty else { continue }
      lines.append("")
      lines.append(group.title)
      for c in commands {
        lines.append("  " + c.name.padding(width) + c.summary)
      }
    }
    lines.append("")
    lines.append("Topics")
    for t in topics { lines.append("  " + t.name.padding(width) + t.summary) }
    return lines.joined(separator: "\n")
  }

  /// `help VERB [WORD ...]`: usage, details, subcommands, keys with defaults, examples.
  public static func command(_ spec: CommandSpec, path: [String], inheritedKeys: [KeySpec]) -> String {
    var lines: [String] = []
    let name = path.joined(separator: " ")
    lines.append("\(name) — \(spec.summary)")
    var usage = name
    if !spec.subcommands.isEmpty {
      usage += " " + (spec.defaultSubcommand != nil ? "[" : "") + spec.subcommands.map(\.name).joined(separator: "|") + (spec.defaultSubcommand != nil ? "]" : "")
    }
    for p in spec.positionals {
      let word = p.name.uppercased() + (p.variadic ? "..." : "")
      usage += " " + (p.optional ? "[\(word)]" : word)
    }
    let keys = spec.keys + inheritedKeys.filter { k in !spec.keys.contains { $0.name == k.name } }
    if !keys.isEmpty { usage += " [key=value ...]" }
    if spec.takesBlock { usage += " { commands }" }
    lines.append("usage: " + usage)
    if !spec.aliases.isEmpty { lines.append("also: " + spec.aliases.joined(separator: ", ")) }
    if let details = spec.details {
      lines.append("")
      lines.append(details)
    }
    if !spec.positionals.isEmpty {
      lines.append("")
      for p in spec.positionals {
        lines.append("  " + p.name.uppercased().padding(20) + p.help)
      }
    }
    if !spec.subcommands.isEmpty {
      lines.append("")
      let width = (spec.subcommands.map(\.name.count).max() ?? 8) + 2
      for s in spec.subcommands {
        lines.append("  " + s.name.padding(width) + s.summary)
      }
      lines.append("  (help \(name) WORD shows that variant's own keys)")
    }
    if !keys.isEmpty {
      lines.append("")
      lines.append("keys:")
      let left = keys.map { "\($0.name)=\($0.type.placeholder)" }
      let width = min((left.map(\.count).max() ?? 10) + 2, 34)
      for (k, l) in zip(keys, left) {
        let text = k.help + (k.defaultValue.map { " (default \($0))" } ?? "")
        lines.append("  " + (l.count >= width ? l + "\n  " + String(repeating: " ", count: width) : l.padding(width)) + text)
      }
    }
    if !spec.examples.isEmpty {
      lines.append("")
      lines.append("examples:")
      for e in spec.examples { lines.append("  " + e) }
    }
    return lines.joined(separator: "\n")
  }

  // MARK: - Topics

  static let languageTopic = """
    The psn language (full grammar: docs/language.md)

      verb [words] key=value ...     one command; `;` or a newline ends it; # starts a comment
      "quoted text"  'literal text'  quotes keep spaces; $NAME is expanded inside "..." only
      set cv=1.5; echo $cv ${cv}x    variables; the variable seed is every command's default seed
      for cv in 0.5 1 1.5 { ... }    loops, nested, over words or ranges such as 1..10
      run FILE.psn                   run a script (paths relative to the including file)
      COMMAND --json                 print that command's result as one JSON line

    Scripts: psn FILE.psn, psn -c 'cmd; cmd', or piped stdin. A script stops at its first
    error (FILE:LINE:COL: message) with a non-zero exit; the interactive shell reports and goes on.
    psn --step FILE.psn walks through a script command by command.
    """

  static var dataTopic: String {
    var lines = ["Datasets (details and file lists: docs/data.md)", ""]
    for kind in DataSourceKind.allCases {
      lines.append("  load " + kind.rawValue.padding(11) + (CommandSpec.load.subcommand(named: kind.rawValue)?.summary ?? ""))
    }
    lines += ["", "  Every source takes val= (validation split), seed= and dir= (where the files are;", "  otherwise $PSN_DATA and the standard places are searched, and a missing file is named)."]
    return lines.joined(separator: "\n")
  }

  static var profilesTopic: String {
    var lines = ["Fan-in profiles (definitions, formulas and reachable CV: docs/profiles.md)", ""]
    lines.append("profile FAMILY [cv=X | shape parameters] [sparsity=S] [alloc=uniform|erk] [placement=] [inputs=]")
    lines.append("")
    for family in ProfileFamily.allCases {
      lines.append("  " + family.rawValue.padding(12) + family.summary)
      lines.append("  " + "".padding(12) + family.formula)
    }
    lines.append("  " + "equilibrium".padding(12) + "lognormal masks matched to where a RigL run ended (from=RUN)")
    lines.append("")
    lines.append("help profile FAMILY lists one family's keys with their defaults.")
    return lines.joined(separator: "\n")
  }

  static let trainingTopic = """
    Training (definitions and defaults: docs/training.md)

      model mlp hidden=300,100      ReLU MLP; inputs and classes from the current dataset
      train dense|static|rigl|set   Adam lr 0.003, cosine schedule, batch 128, 5 epochs by default
      eval [split=test]             loss, accuracy and per-class accuracy
      resume                        continue a run stopped with Ctrl-C, exactly

    Each epoch prints train loss/accuracy, then validation and test. Weights are Kaiming-
    initialised with each neuron's own fan-in. Same seed, same result, bit for bit.
    """

  static let riglTopic = """
    RigL and SET (definitions and every choice: docs/rigl.md)

      train rigl epochs=30 [init=erk|uniform|PROFILE] [dt=100] [alpha=0.3] [tend=0.75] [grow=gradient|random]

    Every dt steps until tend × training, each sparse layer drops the fraction
    alpha·(1+cos(πt/T_end))/2 of its active weights with the smallest |w| and grows as many
    inactive ones with the largest dense-gradient magnitude (grow=random or train set: at random).
    New weights start at 0 with zeroed optimizer state; every layer keeps its exact count.
    show rigl draws the fan-in trajectory, show equilibrium gives the verdict, and
    profile equilibrium from=RUN builds lognormal masks matched to where the run ended.
    """

  static let analysisTopic = """
    Analysis (definitions: docs/analysis.md)

      show fanin [layer=N]     fan-in statistics and histogram per layer
      show profile             the per-neuron fan-in curve
      show hubs [top=10]       top hubs: fan-in, gradient share, weight norm, activation rate
      show neuron L:J          one neuron; for images its receptive field (to=FILE.png|svg)
      show gradients           concentration and fan-in–gradient correlation per layer
      analyze hierarchy RUN... concentration against fan-in CV across runs, Pearson r and p
      show rigl / show equilibrium   a RigL run's fan-in trajectory and its verdict
      analyze equilibrium RUN...     RigL runs side by side: where their fan-ins start and end
    """

  static let workspaceTopic = """
    The workspace (file format: docs/workspace.md)

    Datasets, profiles, models and runs live under names (as=NAME on every creating command;
    otherwise fashion, lognormal, m1, run1, ...). The last one made of each kind is current, so
    short commands work; use NAME switches. ls lists everything; show NAME describes one object;
    rename and drop tidy up. save DIR / open DIR write and read the whole workspace atomically
    (models with optimizer and generator state, so training resumes identically).
    """
}

extension String {
  /// Pads with spaces to `width` (never truncates).
  func padding(_ width: Int) -> String {
    count >= width ? self + " " : self + String(repeating: " ", count: width - count)
  }
}

extension CommandSpec {
  static let help = CommandSpec(
    "help", group: .language, summary: "list commands, or explain one command or topic",
    positionals: [PositionalSpec("topic", .text, "a command (with its subcommand words) or a topic", optional: true, variadic: true)],
    examples: ["help", "help train", "help profile lognormal", "help profiles"],
    handler: { ctx in
      let registry = ctx.interpreter.registry
      let words = ctx.invocation.positionals
      guard let first = words.first else {
        let text = Help.overview(registry)
        ctx.print(text)
        return .obj([("help", text.json)])
      }
      if let topic = Help.topics.first(where: { $0.name == first.value.lowercased() }), registry.command(named: first.value) == nil {
        let text = topic.text()
        ctx.print(text)
        return .obj([("help", text.json)])
      }
      guard var spec = registry.command(named: first.value) else {
        let candidates = registry.allNames + Help.topics.map(\.name)
        let hint = Spelling.closestMatch(to: first.value, among: candidates).map { "did you mean '\($0)'? " } ?? ""
        throw ShellError("no command or topic '\(first.value)' (\(hint)help lists them)", at: first.location)
      }
      var path = [spec.name]
      var inherited: [KeySpec] = []
      for word in words.dropFirst() {
        guard let sub = spec.subcommand(named: word.value) else {
          let hint = Spelling.closestMatch(to: word.value, among: spec.subcommands.flatMap(\.names)).map { "did you mean '\($0)'? " } ?? ""
          let choices = spec.subcommands.isEmpty ? "it has none" : "it has: " + spec.subcommands.map(\.name).joined(separator: ", ")
          throw ShellError("\(path.joined(separator: " ")) has no variant '\(word.value)' (\(hint)\(choices))", at: word.location)
        }
        inherited = spec.keys + inherited.filter { k in !spec.keys.contains { $0.name == k.name } }
        spec = sub
        path.append(sub.name)
      }
      let text = Help.command(spec, path: path, inheritedKeys: inherited)
      ctx.print(text)
      return .obj([("help", text.json)])
    })
}

extension Help {
  /// docs/commands.md: every command's help, generated from the declarations (a test keeps the
  /// file in step with the code: `PSN_RECORD=1 scripts/test --filter CommandReference` rewrites it).
  public static func reference(_ registry: CommandRegistry) -> String {
    var out = [
      "# Command reference",
      "",
      "Generated from the command declarations (`Sources/PSNShell/Commands/`); the same text as",
      "`help VERB` in psn. The language itself — words, quotes, variables, loops — is in",
      "[language.md](language.md).",
    ]
    for group in CommandSpec.Group.allCases {
      let commands = registry.commands.filter { $0.group == group }
      guard !commands.isEmpty else { continue }
      out += ["", "## \(group.title)"]
      for c in commands {
        out += ["", "### \(c.name)", "", "```", command(c, path: [c.name], inheritedKeys: []), "```"]
        for sub in c.subcommands where !sub.keys.isEmpty || !sub.positionals.isEmpty || sub.details != nil {
          out += ["", "```", command(sub, path: [c.name, sub.name], inheritedKeys: c.keys), "```"]
        }
      }
    }
    return out.joined(separator: "\n") + "\n"
  }
}
