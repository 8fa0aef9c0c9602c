import Foundation
import Testing

@testable import PSNCore
@testable import PSNShell

/// The core verbs end to end on tiny data: what they make, what they print, how they fail.
@Suite struct CommandTests {
  @Test func loadModelProfileTrainEval() throws {
    let shell = TestShell()
    shell.ok("""
      \(tinyData) val=0.1
      \(tinyModel)
      profile lognormal cv=0.5 sparsity=0.6
      train static epochs=2 batch=32
      eval
      """)
    let ws = shell.workspace
    #expect(ws.names == ["synthetic", "m1", "lognormal", "run1"])
    let model = try ws.model().object
    #expect(model.model.sizes == [12, 16, 8, 3])
    #expect(model.model.layers.map(\.isSparse) == [true, true, false])  // uniform keeps the logit layer dense
    #expect(model.lastRun == "run1")
    let run = try ws.run().object
    #expect(run.isFinished && run.state.history.count == 2)
    #expect(run.method == .static && run.profileDescription == "lognormal cv=0.5 sparsity=0.6")
    #expect(run.state.history.last?.validation?.count == 32)
    #expect(shell.output.lines.contains { $0.hasPrefix("run1: test accuracy ") })
    #expect(shell.output.lines.contains { $0.hasPrefix("m1 on synthetic test (80 samples): accuracy") })
  }

  @Test func profileWithoutModelMakesTheDefaultOne() throws {
    let shell = TestShell()
    shell.ok("\(tinyData); profile random sparsity=0.9")
    #expect(try shell.workspace.model().object.model.sizes == [12, 300, 100, 3])
    #expect(shell.output.notes.first?.hasPrefix("(no model yet: made m1 = model mlp hidden=300,100") == true)
  }

  @Test func sameSeedSameResultDifferentSeedDifferent() throws {
    func final(_ seed: Int) throws -> MLP {
      let shell = TestShell()
      shell.ok("\(tinyData); \(tinyModel); profile lognormal cv=0.5 sparsity=0.5 seed=\(seed); train static epochs=2 seed=\(seed)")
      return try shell.workspace.model().object.model
    }
    #expect(try final(3) == final(3))
    #expect(try final(3) != final(4))
  }

  @Test func seedVariableIsTheDefaultSeed() throws {
    let a = TestShell()
    a.ok("set seed=5; load synthetic n=400; model hidden=16,8; profile random sparsity=0.5; train static epochs=1")
    let b = TestShell()
    b.ok("load synthetic n=400 seed=5; model hidden=16,8 seed=5; profile random sparsity=0.5 seed=5; train static epochs=1 seed=5")
    #expect(try a.workspace.model().object.model == b.workspace.model().object.model)
    #expect(try a.workspace.run().object.config.seed == 5)
  }

  /// Interrupting and resuming gives exactly the uninterrupted result.
  @Test func resumeEqualsUninterrupted() throws {
    let setup = "\(tinyData); \(tinyModel); profile random sparsity=0.5; "
    let whole = TestShell()
    whole.ok(setup + "train rigl epochs=3 batch=32 dt=5 init=erk sparsity=0.7")
    let parts = TestShell()
    var polls = 0
    parts.interpreter.interruptRequested = { polls += 1; return polls == 14 }
    _ = parts.run(setup + "train rigl epochs=3 batch=32 dt=5 init=erk sparsity=0.7")
    #expect(try !parts.workspace.run().object.isFinished)
    parts.interpreter.interruptRequested = { false }
    parts.ok("resume")
    let a = try whole.workspace.run().object.state
    let b = try parts.workspace.run().object.state
    #expect(try whole.workspace.model().object.model == parts.workspace.model().object.model)
    #expect(a.maskUpdates == b.maskUpdates)
    #expect(a.optimizerState == b.optimizerState)
    #expect(a.history.map(\.test) == b.history.map(\.test))
    #expect(a.history.map(\.trainLoss) == b.history.map(\.trainLoss))
  }

  @Test func renameAndDropKeepReferences() throws {
    let shell = TestShell()
    shell.ok("\(tinyData); \(tinyModel); train dense epochs=1; rename m1 net; rename run1 base")
    #expect(try shell.workspace.run().object.modelName == "net")
    #expect(try shell.workspace.model().object.lastRun == "base")
    shell.ok("drop base")
    #expect(shell.workspace.current[.run] == nil)
    #expect(shell.error("use base") == "t.psn:1:5: no object named 'base' (objects: synthetic, net)")
  }

  @Test func trainRiglFromDenseModelStartsFromERK() throws {
    let shell = TestShell()
    shell.ok("\(tinyData); \(tinyModel); train rigl epochs=1 batch=32 dt=3")
    #expect(shell.output.notes.contains("(the model is dense: starting from init=erk sparsity=0.9)"))
    let run = try shell.workspace.run().object
    #expect(run.state.maskUpdates.count > 1)
    #expect(run.profileDescription == "random alloc=erk sparsity=0.9")
  }

  /// `train rigl init=erk` starts from the Foundation's ERK budgets (784-300-100-10 at 90%:
  /// densities 0.0796 / 0.2302, the logit layer capped dense).
  @Test func riglInitERKMatchesTheERKBudget() throws {
    let shell = TestShell()
    shell.ok("load synthetic n=300 features=784 classes=10; model hidden=300,100; train rigl init=erk sparsity=0.9 epochs=1 dt=1000")
    let start = try #require(try shell.workspace.run().object.state.maskUpdates.first)
    let budget = try LayerBudget.allocate(shapes: [(784, 300), (300, 100), (100, 10)], sparsity: 0.9, allocation: .erk)
    #expect(start.layers.map { $0.fanIns.reduce(0, +) } == budget.nnz.compactMap { $0 })
    #expect(budget.nnz[2] == nil)
    let densities = budget.densities(shapes: [(784, 300), (300, 100), (100, 10)])
    #expect(abs(densities[0] - 0.0796) < 5e-4 && abs(densities[1] - 0.2302) < 5e-4 && densities[2] == 1)
  }

  /// Bad input: each gets one clear message at the right place; the workspace is untouched.
  @Test(arguments: [
    ("load fashon", "t.psn:1:6: unknown data source 'fashon' (did you mean 'fashion'?)"),
    ("load synthetic n=abc", "t.psn:1:16: n=abc is not a whole number (e.g. n=5)"),
    ("load synthetic n=1", "t.psn:1:16: n=1 is out of range (n must be at least 2)"),
    ("load synthetic val=2.5", "t.psn:1:16: val=2.5: out of range (should be a fraction in [0, 1) such as 0.1, or a whole number of samples such as 5000)"),
    ("load synthetic frob=1", "t.psn:1:16: load synthetic has no key 'frob' (load synthetic takes: n= features= classes= clusters= informative= separation= noise= test= dir= val= seed= as=)"),
    ("model mlp hidden=300,x", "t.psn:1:11: hidden=300,x should be positive whole numbers separated by commas (e.g. hidden=300,100)"),
    ("profile lognorml cv=1", "t.psn:1:9: unknown profile family 'lognorml' (did you mean 'lognormal'?)"),
    ("profile lognormal cv=12", "t.psn:1:19: cv=12 is out of range (cv must be between 0 and 10)"),
    ("profile lognormal cx=1", "t.psn:1:19: profile lognormal has no key 'cx' (did you mean 'cv='? profile lognormal takes: cv= sigma= placement= inputs= sparsity= alloc= dense= layers= seed= model= as=)"),
    ("profile random sparsity=1", "t.psn:1:16: sparsity must be in [0, 1), got 1.0 (e.g. sparsity=0.9 keeps 10% of the weights)"),
    ("profile random sparsity=-0.1", "t.psn:1:16: sparsity must be in [0, 1), got -0.1 (e.g. sparsity=0.9 keeps 10% of the weights)"),
    ("profile expr \"1 + * x\" cv=1", "t.psn:1:19: in the expression, column 5: expected a number, x, a function or '(' but found '*'\n    1 + * x\n        ^"),
    ("profile lognormal placement=sortd", "t.psn:1:19: placement=sortd is not a choice (did you mean 'sorted'? should be one of sorted, shuffled)"),
    ("train statik", "t.psn:1:7: unknown training method 'statik' (did you mean 'static'?)"),
    ("train static", "t.psn:1:1: m1 is dense: give it masks first (e.g. profile random sparsity=0.9), or use train dense"),
    ("train dense epochs=0", "t.psn:1:13: epochs=0 is out of range (epochs must be between 1 and 100000)"),
    ("train dense optimizer=adma", "t.psn:1:13: optimizer=adma is not a choice (did you mean 'adam'? should be one of sgd, adam, adamw)"),
    ("train dense lr=-1", "t.psn:1:1: lr must be a positive number, got -1.0"),
    ("train rigl init=erx", "t.psn:1:12: init=erx is neither erk, uniform nor a profile in the workspace (did you mean 'erk'? profiles: none yet)"),
    ("train rigl alpha=1.5", "t.psn:1:1: alpha must be in (0, 1), got 1.5"),
    ("resume", "t.psn:1:1: no run yet (train a model first: train static epochs=5)"),
    ("eval split=validation", "t.psn:1:6: synthetic has no validation split (load it with val=0.1)"),
    ("show hub", "t.psn:1:6: show has no view or object 'hub' (did you mean 'hubs'?)"),
    ("show xyz", "t.psn:1:6: show has no view or object 'xyz' (views: model, data, run, fanin, profile, hubs, neuron, gradients, rigl, equilibrium; objects: synthetic, m1)"),
    ("use nothing", "t.psn:1:5: no object named 'nothing' (objects: synthetic, m1)"),
    ("rename m1 synthetic", "t.psn:1:8: 'synthetic' is already taken (drop it first, or choose another name)"),
    ("model mlp as=synthetic", "t.psn:1:1: 'synthetic' is already a dataset (choose another name with as=, or drop synthetic)"),
    ("trian dense", "t.psn:1:1: unknown command 'trian' (did you mean 'train'?)"),
    ("echo $nope", "t.psn:1:6: undefined variable $nope (set it first: set nope=...)"),
  ] as [(String, String)])
  func badInput(command: String, message: String) throws {
    let shell = TestShell()
    shell.ok("\(tinyData); \(tinyModel)")
    let before = shell.workspace
    #expect(shell.error(command) == message)
    #expect(shell.workspace.names == before.names)
    #expect(try shell.workspace.model().object.model == before.model().object.model)
    #expect(shell.workspace.current == before.current)
  }
}
