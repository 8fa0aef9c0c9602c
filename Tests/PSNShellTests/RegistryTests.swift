import Testing

@testable import PSNShell

/// The declarations themselves: every command well-formed, every example valid, help for all.
@Suite struct RegistryTests {
  let registry = CommandRegistry.standard

  /// Every spec with its path, subcommands included.
  var allSpecs: [(path: [String], spec: CommandSpec, inherited: [KeySpec])] {
    var out: [(path: [String], spec: CommandSpec, inherited: [KeySpec])] = []
    func visit(_ spec: CommandSpec, _ path: [String], _ inherited: [KeySpec]) {
      out.append((path + [spec.name], spec, inherited))
      let keys = spec.keys + inherited.filter { k in !spec.keys.contains { $0.name == k.name } }
      for sub in spec.subcommands { visit(sub, path + [spec.name], keys) }
    }
    for c in registry.commands { visit(c, [], []) }
    return out
  }

  @Test func namesAndAliasesAreUnique() {
    let names = registry.commands.flatMap(\.names)
    #expect(Set(names).count == names.count, "duplicate verbs: \(names)")
    for (path, spec, _) in allSpecs {
      let subs = spec.subcommands.flatMap(\.names)
      #expect(Set(subs).count == subs.count, "duplicate subcommands under \(path)")
      let keys = spec.keys.map(\.name)
      #expect(Set(keys).count == keys.count, "duplicate keys in \(path)")
    }
  }

  @Test func everythingIsDocumented() {
    for (path, spec, _) in allSpecs {
      #expect(!spec.summary.isEmpty, "\(path) has no summary")
      for k in spec.keys { #expect(!k.help.isEmpty, "\(path) key \(k.name) has no help") }
      for p in spec.positionals { #expect(!p.help.isEmpty, "\(path) word \(p.name) has no help") }
      #expect(spec.handler != nil || !spec.subcommands.isEmpty, "\(path) can do nothing")
      #expect(!spec.names.contains { $0 != $0.lowercased() }, "\(path): names are lowercase")
    }
  }

  /// Defaults must be values their own type accepts.
  @Test func defaultsParse() throws {
    for (path, spec, _) in allSpecs {
      for k in spec.keys {
        guard let d = k.defaultValue else { continue }
        #expect(throws: Never.self, "\(path) \(k.name)=\(d)") { try ValueParser.check(d, k.name, k.type) }
      }
    }
  }

  /// Every example in every help text parses and resolves against the declarations.
  @Test func examplesResolve() throws {
    for (path, spec, _) in allSpecs {
      for example in spec.examples {
        let statements = try Parser.parse(example, source: "example")
        for case .command(let node) in statements {
          let expansion = Expansion(variables: ["cv": "1", "seed": "1", "x": "1"])
          let arguments = try node.words.map { w in
            Invocation.Argument(key: w.key, value: try expansion.expand(w.valueParts), location: w.location)
          }
          #expect(throws: Never.self, "example of \(path): \(example)") {
            _ = try registry.resolve(arguments, block: node.block ?? (registry.command(named: arguments[0].value)?.takesBlock == true ? [] : nil), location: node.location, text: node.text)
          }
        }
      }
    }
  }

  @Test func helpRendersForEveryCommandAndTopic() throws {
    let shell = TestShell()
    shell.ok("help")
    for c in registry.commands {
      #expect(shell.output.transcript.contains("  \(c.name) "), "help lists \(c.name)")
    }
    for (path, _, _) in allSpecs {
      shell.ok("help " + path.joined(separator: " "))
    }
    for t in Help.topics { shell.ok("help \(t.name)") }
    #expect(shell.error("help trian") == "t.psn:1:6: no command or topic 'trian' (did you mean 'train'? help lists them)")
    #expect(shell.error("help train rigll") == "t.psn:1:12: train has no variant 'rigll' (did you mean 'rigl'? it has: dense, static, rigl, set)")
  }
}
