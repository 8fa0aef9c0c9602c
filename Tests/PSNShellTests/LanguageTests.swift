import Testing

@testable import PSNShell

/// The lexer and parser: words, quotes, comments, variables, blocks, loops, and where errors are.
@Suite struct LanguageTests {
  func parse(_ text: String) throws -> [Statement] { try Parser.parse(text, source: "t.psn") }

  func command(_ text: String) throws -> CommandNode {
    let statements = try parse(text)
    guard statements.count == 1, case .command(let c) = statements[0] else {
      Issue.record("expected one command in \(text)")
      throw ShellError("bad test")
    }
    return c
  }

  @Test func wordsKeysAndSeparators() throws {
    let statements = try parse("load fashion val=0.1; model mlp hidden=300,100\n\ntrain rigl epochs=3 # comment ; not a command\n")
    #expect(statements.count == 3)
    guard case .command(let load) = statements[0], case .command(let train) = statements[2] else { return }
    #expect(load.words.map(\.key) == [nil, nil, "val"])
    #expect(load.words[2].valueParts == [.text("0.1", quoted: false)])
    #expect(train.words.count == 3)
    #expect(train.location == SourceLocation(source: "t.psn", line: 3, column: 1))
    #expect(train.words[2].location.column == 12)
  }

  @Test func quotes() throws {
    let c = try command(#"profile expr "1 + 4*x^2" cv=1 note='a $b "c"' e="" x="a;b#c""#)
    #expect(c.words[2].parts == [.text("1 + 4*x^2", quoted: true)])
    #expect(c.words[2].key == nil)
    #expect(c.words[4].key == "note")
    #expect(c.words[4].valueParts == [.text(#"a $b "c""#, quoted: true)])
    #expect(c.words[5].valueParts == [.text("", quoted: true)])
    #expect(c.words[6].valueParts == [.text("a;b#c", quoted: true)])
    // A quoted key=value is a positional word, not a setting.
    #expect(try command(#"echo "a=b""#).words[1].key == nil)
  }

  @Test func escapesInDoubleQuotes() throws {
    let c = try command(#"echo "tab\there \"q\" \$x \\ back""#)
    #expect(c.words[1].parts == [.text("tab\there \"q\" $x \\ back", quoted: true)])
  }

  @Test func variables() throws {
    let c = try command(#"train as=ln-$cv x=${a}b "v=$v" '$lit' $"#)
    let at = { (col: Int) in SourceLocation(source: "t.psn", line: 1, column: col) }
    #expect(c.words[1].key == "as")
    #expect(c.words[1].valueParts == [.text("ln-", quoted: false), .variable("cv", at(13))])
    #expect(c.words[2].valueParts == [.variable("a", at(19)), .text("b", quoted: false)])
    #expect(c.words[3].parts == [.text("v=", quoted: true), .variable("v", at(28))])
    #expect(c.words[4].parts == [.text("$lit", quoted: true)])
    #expect(c.words[5].parts == [.text("$", quoted: false)])
    let e = Expansion(variables: ["cv": "1.5", "a": "A", "v": "7"])
    #expect(try e.expand(c.words[1].valueParts) == "ln-1.5")
    #expect(try e.expand(c.words[2].valueParts) == "Ab")
    #expect(throws: ShellError("undefined variable $cv (set it first: set cv=...)", at: at(13))) {
      try Expansion(variables: [:]).expand(c.words[1].valueParts)
    }
    #expect(throws: ShellError("undefined variable $cb (did you mean $cv? set it first: set cb=...)", at: at(6))) {
      try e.expand(try command("echo $cb").words[1])
    }
  }

  @Test func rangesExpandOnlyUnquoted() throws {
    let e = Expansion(variables: ["n": "3"])
    #expect(try e.expandList(try command("x 1..$n").words[1]) == ["1", "2", "3"])
    #expect(try e.expandList(try command("x 3..1").words[1]) == ["3", "2", "1"])
    #expect(try e.expandList(try command("x '1..3'").words[1]) == ["1..3"])
    #expect(try e.expandList(try command("x a..b").words[1]) == ["a..b"])
    #expect(throws: ShellError.self) { try e.expandList(try command("x 0.5..2").words[1]) }
  }

  @Test func nestedLoopsAndBlocks() throws {
    let statements = try parse("""
      for cv in 0.5 1 {
        for seed in 1..2 { train static seed=$seed }
        echo done $cv
      }
      repeat seeds=1..3 {
        train rigl
      }
      """)
    #expect(statements.count == 2)
    guard case .forLoop(let outer) = statements[0], case .command(let r) = statements[1] else {
      Issue.record("shapes")
      return
    }
    #expect(outer.variable == "cv")
    #expect(outer.items.count == 2)
    #expect(outer.body.count == 2)
    guard case .forLoop(let inner) = outer.body[0] else { return }
    #expect(inner.variable == "seed")
    #expect(inner.body.count == 1)
    #expect(r.block?.count == 1)
    #expect(r.text == "repeat seeds=1..3 { ... }")
  }

  @Test func lineContinuation() throws {
    let c = try command("train static \\\n  epochs=3")
    #expect(c.words.count == 3)
    #expect(c.words[2].location.line == 2)
  }

  /// Input that stops early is `.incomplete` (the REPL asks for more); wrong input is `.syntax`.
  @Test(arguments: [
    ("for cv in 1 2 {\n train", true, "block opened at line 1 is not closed (add })", 1, 15),
    ("echo \"abc", true, "unterminated quote \" (close it with \")", 1, 6),
    ("echo 'abc", true, "unterminated quote ' (close it with ')", 1, 6),
    ("echo ${abc", true, "unterminated ${ (close it with })", 1, 6),
    ("for cv in", true, "for cv in needs at least one value before {", 1, 8),
    ("for", true, "for needs a variable: for cv in 0.5 1 1.5 { ... }", 1, 1),
    ("for cv 1 2 { }", false, "expected 'in' after 'for cv': for cv in a b c { ... }", 1, 5),
    ("for cv in 1 2\necho", false, "for cv in ... needs a body: { commands }", 1, 13),
    ("echo a }", false, "unexpected } (no block is open)", 1, 8),
    ("{ echo }", false, "a block { ... } must follow a command such as repeat, sweep or for", 1, 1),
    ("repeat { a } { b }", false, "only one block may follow a command", 1, 14),
    ("echo ${1x}", false, "empty or bad variable name in ${...}", 1, 6),
  ] as [(String, Bool, String, Int, Int)])
  func syntaxErrors(text: String, incomplete: Bool, message: String, line: Int, column: Int) {
    do {
      _ = try Parser.parse(text, source: "t.psn")
      Issue.record("\(text) parsed")
    } catch {
      #expect(error.isIncomplete == incomplete)
      #expect(error.message == message)
      #expect(error.location == SourceLocation(source: "t.psn", line: line, column: column))
    }
  }
}
