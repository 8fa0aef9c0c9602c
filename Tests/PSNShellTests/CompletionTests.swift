import Foundation
import PSNCore
import Testing

@testable import PSNShell

/// Tab completion, checked as tables of (text before the cursor → candidates) against a
/// workspace and a file tree made for the test.
@Suite struct CompletionTests {
  /// A workspace with one object of each kind (dataset `synthetic`, model `m1`, profile
  /// `random`, run `base`) and the variables seed and cv.
  static let workspace: Workspace = {
    let interpreter = Interpreter(output: CapturedOutput())
    try! interpreter.run(
      "load synthetic n=200 features=4 classes=2; profile random sparsity=0.5; train static epochs=1 as=base stats=false; set seed=3 cv=1.5",
      source: "test")
    return interpreter.workspace
  }()

  /// /work: examples/tutorials/01-first-steps.psn, exp.psn, .hidden; /home/u: notes.psn.
  static let files = FileSystemView(currentDirectory: "/work", home: "/home/u") { directory in
    let tree: [String: [FileSystemView.Entry]] = [
      "/work": [.init("examples", isDirectory: true), .init("exp.psn"), .init(".hidden"), .init("my notes", isDirectory: true), .init("my-run.psn")],
      "/work/my notes": [.init("a \"b\" $c.psn"), .init("it's.psn")],
      "/work/examples": [.init("tutorials", isDirectory: true)],
      "/work/examples/tutorials": [.init("01-first-steps.psn")],
      "/home/u": [.init("notes.psn")],
      "/": [.init("work", isDirectory: true), .init("home", isDirectory: true)],
    ]
    return tree[(directory as NSString).standardizingPath]
  }

  static let completer = Completer(files: files)

  func complete(_ prefix: String) -> Completion {
    Self.completer.complete(prefix, workspace: Self.workspace)
  }

  static let cases: [(String, [String])] = [
    // Verbs, aliases and the loop keyword.
    ("lo", ["load"]),
    ("workspa", ["workspace"]),
    ("f", ["for"]),
    ("zzz", []),
    // Subcommand words: while one is required and nothing is typed, only those.
    ("load ", ["covtype", "emnist", "fashion", "mnist", "synthetic"]),
    ("load syn", ["synthetic"]),
    ("train ", ["dense", "rigl", "set", "static"]),
    ("profile logn", ["lognormal"]),
    ("profile equ", ["equilibrium"]),
    // key= names: the subcommand's own and its parents', minus those given.
    ("load synthetic fe", ["features="]),
    ("train rigl a", ["alpha=", "as="]),
    ("train rigl epochs=3 ep", []),
    ("train d", ["data=", "dense"]),
    ("eval s", ["split="]),
    ("profile lognormal pl", ["placement="]),
    // Values of choice, bool and layer keys.
    ("train rigl optimizer=a", ["optimizer=adam", "optimizer=adamw"]),
    ("train static nesterov=", ["nesterov=false", "nesterov=true"]),
    ("eval split=", ["split=test", "split=train", "split=validation"]),
    ("profile lognormal placement=s", ["placement=shuffled", "placement=sorted"]),
    ("profile lognormal dense=", ["dense=all", "dense=none"]),
    ("train rigl grow=r", ["grow=random"]),
    ("train static epochs=", []),
    ("train static nosuch=", []),
    // Workspace names by the declared kind; none for as= (it names a new object).
    ("train static model=", ["model=m1"]),
    ("train static data=", ["data=synthetic"]),
    ("show model model=", ["model=m1"]),
    ("resume ", ["base"]),
    ("train static as=", []),
    // A word or a profile's name (init=erk|uniform|PROFILE).
    ("train rigl init=", ["init=erk", "init=random", "init=uniform"]),
    ("train rigl init=r", ["init=random"]),
    ("use ", ["base", "m1", "random", "synthetic"]),
    ("use s", ["synthetic"]),
    ("drop m1 r", ["random"]),
    ("show run1 ", []),
    // A default subcommand: its word and its keys.
    ("model ", ["as=", "data=", "hidden=", "mlp", "seed="]),
    ("model hid", ["hidden="]),
    // File paths for path keys and positionals.
    ("run ", ["\"examples/", "\"exp.psn\"", "\"my notes/", "\"my-run.psn\""]),
    ("run ex", ["examples/", "exp.psn"]),
    ("run examples/", ["examples/tutorials/"]),
    ("run examples/tutorials/0", ["examples/tutorials/01-first-steps.psn"]),
    ("run .", [".hidden"]),
    ("run ~", ["~/"]),
    ("run ~/", ["~/notes.psn"]),
    ("run /h", ["/home/"]),
    ("run nowhere/", []),
    ("load synthetic dir=ex", ["dir=examples/", "dir=exp.psn"]),
    // Variables.
    ("echo $", ["$cv", "$seed"]),
    ("echo $s", ["$seed"]),
    ("train static as=ln-$c", ["as=ln-$cv"]),
    // help follows the command tree, and knows the topics.
    ("help pro", ["profile", "profiles"]),
    ("help profile logn", ["lognormal"]),
    ("help train r", ["rigl"]),
    ("help train rigl ", []),
    ("help nosuch ", []),
    // for NAME in VALUES { COMMANDS }
    ("for ", []),
    ("for cv ", ["in"]),
    ("for cv i", ["in"]),
    ("for cv in 1 2 ", []),
    ("for cv in 1 2 { tr", ["train"]),
    ("for cv in 1 2 { profile lognormal cv=$cv; tr", ["train"]),
    // Commands after ; and flags.
    ("load fashion; tr", ["train"]),
    ("train static --j", ["--json"]),
    // Paths that need quotes come quoted, all of the directory's (so they share the typed
    // start); inside an open quote the path goes on, escaped as the quote needs; a finished
    // path closes the quote, a directory leaves it open.
    ("run my", ["\"my notes/", "\"my-run.psn\""]),
    ("run my-", ["my-run.psn"]),
    ("run \"", ["\"examples/", "\"exp.psn\"", "\"my notes/", "\"my-run.psn\""]),
    ("run \"my n", ["\"my notes/"]),
    ("run \"my notes/", ["\"my notes/a \\\"b\\\" \\$c.psn\"", "\"my notes/it's.psn\""]),
    ("run 'my notes/", ["'my notes/a \"b\" $c.psn'"]),
    ("run 'my notes/it", []),
    ("load synthetic dir=\"my n", ["dir=\"my notes/"]),
    ("run \"my\"", []),
    ("run \"a\"\"my", []),
    ("run \"$", ["\"$cv", "\"$seed"]),
    ("run '$", []),
    ("echo \"it's $s", ["\"it's $seed"]),
    // Nothing else inside quotes or comments, or after an unknown verb.
    ("echo 'lo", []),
    ("echo \"lo", []),
    ("train \"lo", []),
    ("# lo", []),
    ("echo a # lo", []),
    ("echo a # lo\ntr", ["train"]),
    ("nosuch ", []),
    ("set ", []),
  ]

  @Test(arguments: cases)
  func candidates(_ prefix: String, _ expected: [String]) {
    #expect(complete(prefix).texts == expected, "completing \(prefix.debugDescription)")
  }

  /// `show` takes a view word or any object's name.
  @Test func showOffersViewsAndNames() {
    let views = CommandSpec.showViews.flatMap(\.names)
    #expect(complete("show ").texts == (views + ["base", "m1", "random", "synthetic"]).sorted())
  }

  @Test func firstWordOffersEveryVerbAndAlias() {
    let completion = complete("")
    #expect(completion.word == "")
    #expect(completion.texts == (CommandRegistry.standard.allNames + ["for"]).sorted())
  }

  @Test func partialWordIsWhatGetsReplaced() {
    #expect(complete("train rigl optimizer=a").word == "optimizer=a")
    #expect(complete("train ").word == "")
    #expect(complete("load fashion; tr").word == "tr")
  }

  /// A space follows finished words; none after `key=` (a value comes next) or a directory.
  @Test func finishedWordsTakeASpace() {
    let value = complete("train rigl optimizer=adamw").candidates
    #expect(value == [Completion.Candidate("optimizer=adamw", isComplete: true)])
    #expect(complete("train rigl alp").candidates == [Completion.Candidate("alpha=", isComplete: false)])
    #expect(complete("run examples/").candidates == [Completion.Candidate("examples/tutorials/", isComplete: false)])
    #expect(complete("run examples/tutorials/").candidates.allSatisfy { $0.isComplete })
    #expect(complete("lo").candidates.allSatisfy { $0.isComplete })
    #expect(complete("echo $se").candidates == [Completion.Candidate("$seed", isComplete: true)])
    #expect(complete("echo \"it's $se").candidates == [Completion.Candidate("\"it's $seed", isComplete: false)], "inside quotes a space would be text")
  }

  /// Every declared key, subcommand word and choice completes: the completer reads the
  /// declarations, so a new key is completed without touching it.
  @Test func everyDeclarationCompletes() {
    var checked = 0
    func walk(_ spec: CommandSpec, path: [String], inherited: [KeySpec]) {
      let keys = spec.keys + inherited.filter { k in !spec.keys.contains { $0.name == k.name } }
      let head = path.joined(separator: " ") + " "
      for sub in spec.subcommands {
        #expect(complete(head + sub.name.prefix(2)).texts.contains(sub.name), "\(head)\(sub.name)")
        walk(sub, path: path + [sub.name], inherited: keys)
      }
      guard spec.handler != nil else { return }
      for key in keys {
        checked += 1
        #expect(complete(head + key.name).texts.contains(key.name + "="), "\(head)\(key.name)=")
        if case .choice(let choices) = key.type {
          for choice in choices {
            #expect(complete(head + key.name + "=" + choice).texts.contains(key.name + "=" + choice), "\(head)\(key.name)=\(choice)")
          }
        }
      }
    }
    for verb in CommandRegistry.standard.commands {
      guard verb.name != CommandSpec.help.name else { continue }
      walk(verb, path: [verb.name], inherited: [])
    }
    #expect(checked > 100)
  }

  @Test func profileFamiliesAreTheProfileSubcommands() {
    let families = ProfileFamily.allCases.map(\.rawValue) + ["equilibrium"]
    #expect(complete("profile ").texts == families.sorted())
  }

  /// libedit cuts words at its own break characters (`=`, `$`): candidates are rewritten to
  /// replace the editor's word.
  static let editorWords: [(word: String, candidates: [String], editorWord: String, expected: [String])] = [
    ("optimizer=a", ["optimizer=adam", "optimizer=adamw"], "a", ["adam", "adamw"]),
    ("optimizer=", ["optimizer=adam"], "", ["adam"]),
    ("as=ln-$c", ["as=ln-$cv"], "c", ["cv"]),
    ("lo", ["load"], "lo", ["load"]),
    ("", ["load"], "", ["load"]),
    ("b", ["bc"], "a=b", ["a=bc"]),
    ("ab", ["abc"], "x", []),
  ]

  @Test(arguments: editorWords)
  func rewrittenForTheEditorsWord(_ example: (word: String, candidates: [String], editorWord: String, expected: [String])) {
    let completion = Completion(word: example.word, candidates: example.candidates.map { Completion.Candidate($0) })
    #expect(completion.candidates(replacing: example.editorWord).map(\.text) == example.expected)
  }

  @Test func candidatesAreSortedWithoutDuplicates() {
    let completion = Completion(word: "", candidates: ["b", "a", "b"].map { Completion.Candidate($0) })
    #expect(completion.texts == ["a", "b"])
  }

  @Test func diskListingMarksDirectories() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("psn-completion-\(getpid())")
    try FileManager.default.createDirectory(at: root.appendingPathComponent("sub"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    try Data().write(to: root.appendingPathComponent("script.psn"))
    var disk = FileSystemView.disk
    disk.currentDirectory = root.path
    #expect(disk.completions(of: "").sorted() == [Completion.Candidate("script.psn"), Completion.Candidate("sub/", isComplete: false)])
    #expect(disk.completions(of: "su") == [Completion.Candidate("sub/", isComplete: false)])
  }
}
