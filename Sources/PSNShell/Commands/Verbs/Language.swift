import PSNCore

extension CommandSpec {
  static let set = CommandSpec(
    "set", group: .language, summary: "set variables used as $NAME; with no words, list them",
    details: """
      set NAME=VALUE ... assigns each variable; later words see the new values ($NAME or ${NAME}).
      The variable seed is the default seed of every command that takes seed=.
      """,
    words: .anyKeys, examples: ["set seed=3 cv=1.5", "set"],
    handler: { ctx in
      let inv = ctx.invocation
      if inv.orderedSettings.isEmpty {
        let names = ctx.workspace.variables.keys.sorted()
        if names.isEmpty { ctx.print("no variables set (set NAME=VALUE)") }
        for n in names { ctx.print("\(n)=\(ctx.workspace.variables[n]!)") }
        return .object(names.map { ($0, .string(ctx.workspace.variables[$0]!)) })
      }
      for a in inv.orderedSettings { ctx.workspace.variables[a.key!] = a.value }
      return .object(inv.orderedSettings.map { ($0.key!, .string($0.value)) })
    })

  static let defaultVariables = CommandSpec(
    "default", group: .language, summary: "set variables only where they are not set yet",
    details: """
      Scripts declare their knobs with default: `default epochs=10` gives $epochs the value 10
      unless it was set before the script ran (psn -c 'set epochs=1' -- FILE, or set epochs=1
      then run FILE), so the same script runs quick in CI and in full by hand.
      """,
    words: .anyKeys, examples: ["default epochs=10 data=fashion"],
    handler: { ctx in
      for a in ctx.invocation.orderedSettings where ctx.workspace.variables[a.key!] == nil {
        ctx.workspace.variables[a.key!] = a.value
      }
      return .object(ctx.invocation.orderedSettings.map { ($0.key!, .string(ctx.workspace.variables[$0.key!]!)) })
    })

  static let unset = CommandSpec(
    "unset", group: .language, summary: "remove variables",
    positionals: [PositionalSpec("names", .text, "variables to remove", variadic: true)],
    examples: ["unset cv"],
    handler: { ctx in
      for a in ctx.invocation.positionals {
        guard ctx.workspace.variables.removeValue(forKey: a.value) != nil else {
          throw ShellError("no variable named '\(a.value)' (set lists them)", at: a.location)
        }
      }
      return nil
    })

  static let echo = CommandSpec(
    "echo", group: .language, summary: "print words (after $variable expansion)",
    positionals: [PositionalSpec("words", .text, "what to print", optional: true, variadic: true)],
    words: .allPositional, examples: ["echo cv is $cv"],
    handler: { ctx in
      // key=value words are echoed as typed: echo knows no keys, so join everything back.
      let text = ctx.invocation.positionals.map(\.value).joined(separator: " ")
      ctx.print(text)
      return .obj([("text", .string(text))])
    })

  static let run = CommandSpec(
    "run", group: .language, summary: "run a .psn script (paths relative to the including file)",
    positionals: [PositionalSpec("file", .path, "the script to run")],
    transactional: false,
    examples: ["run examples/quickstart.psn"],
    handler: { ctx in
      let file = ctx.invocation.positional("file")!
      try ctx.interpreter.runFile(file.value, at: file.location)
      return nil
    })
}
