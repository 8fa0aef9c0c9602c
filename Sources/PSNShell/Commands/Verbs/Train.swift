import Foundation
import PSNCore

extension CommandSpec {
  private static let trainKeys: [KeySpec] = {
    let c = TrainingConfig()
    return [
      KeySpec("epochs", .int(1...100_000), default: "\(c.epochs)", "passes over the training split"),
      KeySpec("lr", .double(nil), default: Format.number(c.learningRate), "base learning rate"),
      KeySpec("batch", .int(1...1_000_000), default: "\(c.batchSize)", "samples per step"),
      KeySpec("optimizer", .choice(OptimizerKind.allCases.map(\.rawValue)), default: c.optimizer.kind.rawValue, "sgd (with momentum), adam, or adamw"),
      KeySpec("momentum", .double(nil), default: Format.number(c.optimizer.momentum), "SGD momentum (0 turns it off)"),
      KeySpec("nesterov", .bool, default: "false", "Nesterov momentum for SGD"),
      KeySpec("weight_decay", .double(nil), default: "0", "L2 weight decay λ (weights only, never biases)"),
      KeySpec("schedule", .choice(["constant", "cosine", "step"]), default: c.schedule.name, "learning-rate schedule over the run"),
      KeySpec("step_every", .int(1...100_000), default: "10", "schedule=step: epochs between decays"),
      KeySpec("gamma", .double(nil), default: "0.1", "schedule=step: factor per decay"),
      KeySpec("seed", .int(0...Int.max), "seeds the data order and RigL/SET randomness (default: $seed, else 1)"),
      KeySpec("threads", .int(1...64), "kernel threads (default: $PSN_THREADS, else \(c.threads))"),
      KeySpec("window", .int(1...100_000), default: "\(c.statisticsWindowEpochs)", "epochs at the end over which neuron statistics are gathered"),
      KeySpec("stats", .bool, default: "true", "gather per-neuron gradient and activity statistics (docs/analysis.md)"),
      KeySpec("model", .name(.model), "the model to train (default: the current one; made if none)"),
      KeySpec("data", .name(.dataset), "the dataset (default: the current one)"),
      KeySpec("as", .name(.run), "name of the run (default: run1, run2, ...)"),
    ]
  }()

  private static let maskUpdateKeys: [KeySpec] = {
    let m = MaskUpdateConfig()
    return [
      KeySpec("init", .wordOrName(["erk", "uniform"], .profile), "starting masks: erk, uniform, or a profile's name (default: the model's masks; erk if it is dense)"),
      KeySpec("sparsity", .double(nil), default: "0.9", "sparsity of init=erk|uniform masks"),
      KeySpec("dt", .int(1...10_000_000), default: "\(m.interval)", "ΔT: steps between mask updates"),
      KeySpec("alpha", .double(nil), default: Format.number(m.alpha), "drop fraction at the first update, cosine-annealed"),
      KeySpec("tend", .double(nil), default: Format.number(m.endFraction), "T_end: share of training after which masks stop changing"),
    ]
  }()

  static let train = CommandSpec(
    "train", group: .training,
    summary: "train the current model (dense, static masks, RigL or SET) and record a run",
    details: """
      Ctrl-C stops at the next batch boundary: the model stays consistent and usable, and
      resume continues the run exactly. Definitions and defaults: docs/training.md, docs/rigl.md.
      """,
    keys: trainKeys,
    subcommands: [
      CommandSpec("dense", group: .training, summary: "train a dense model (every weight exists)", handler: { try runTraining(.dense, $0) }),
      CommandSpec("static", group: .training, summary: "train with the model's masks fixed", handler: { try runTraining(.static, $0) }),
      CommandSpec(
        "rigl", group: .training, summary: "RigL: drop by magnitude, grow by gradient, every dt steps",
        keys: maskUpdateKeys + [KeySpec("grow", .choice(MaskUpdateConfig.Growth.allCases.map(\.rawValue)), default: "gradient", "gradient (RigL) or random (SET)")],
        handler: { try runTraining(.rigl, $0) }),
      CommandSpec("set", group: .training, summary: "SET: drop by magnitude, grow at random, every dt steps", keys: maskUpdateKeys, handler: { try runTraining(.set, $0) }),
    ],
    subcommandNoun: "training method",
    examples: ["train dense epochs=5", "train static epochs=10 lr=0.001 seed=2", "train rigl epochs=30 init=erk", "train rigl init=eq dt=200 alpha=0.5"])

  private static func trainingConfig(_ inv: Invocation, _ ctx: CommandContext, method: TrainingMethod) throws -> TrainingConfig {
    var c = TrainingConfig()
    c.epochs = try inv.int("epochs")!
    c.learningRate = try inv.double("lr")!
    c.batchSize = try inv.int("batch")!
    c.optimizer.kind = try inv.choice("optimizer", as: OptimizerKind.self)!
    c.optimizer.momentum = try inv.double("momentum")!
    c.optimizer.nesterov = try inv.bool("nesterov")!
    c.optimizer.weightDecay = try inv.double("weight_decay")!
    switch try inv.string("schedule")! {
    case "constant": c.schedule = .constant
    case "step": c.schedule = .step(everyEpochs: try inv.int("step_every")!, gamma: try inv.double("gamma")!)
    default: c.schedule = .cosine
    }
    c.seed = try ctx.seed()
    c.threads = try inv.int("threads") ?? ctx.interpreter.environment["PSN_THREADS"].flatMap(Int.init) ?? c.threads
    c.statisticsWindowEpochs = min(try inv.int("window")!, c.epochs)
    c.collectNeuronStatistics = try inv.bool("stats")!
    if method.updatesMasks {
      let growth: MaskUpdateConfig.Growth = method == .set ? .random : try inv.choice("grow", as: MaskUpdateConfig.Growth.self)!
      c.maskUpdate = MaskUpdateConfig(
        interval: try inv.int("dt")!, alpha: try inv.double("alpha")!, endFraction: try inv.double("tend")!, growth: growth)
    }
    do {
      try c.validate()
    } catch {
      throw ShellError(error, at: inv.location)
    }
    return c
  }

  /// The masks a RigL/SET run starts from: `init=erk|uniform` random masks at `sparsity=`, a
  /// profile from the workspace, or the model's own.
  private static func startingMasks(_ ctx: CommandContext, _ model: ModelObject, seed: UInt64) throws -> (masks: [Mask?], description: String?, spec: NetworkProfileSpec?)? {
    let inv = ctx.invocation
    let requested = try inv.string("init")
    if requested == nil && model.model.layers.contains(where: \.isSparse) { return nil }
    let choice = requested ?? "erk"
    if requested == nil { ctx.note("(the model is dense: starting from init=erk sparsity=\(inv.raw("sparsity")!))") }
    if let allocation = Allocation(rawValue: choice) {
      let sparsity = try inv.double("sparsity")!
      let spec = NetworkProfileSpec(profile: try ProfileSpec(family: .random), sparsity: sparsity, allocation: allocation, seed: seed)
      let built = try spec.build(sizes: model.model.sizes)
      return (built.masks, "random alloc=\(choice) sparsity=\(Format.number(sparsity))", spec)
    }
    guard case .profile(let p)? = ctx.workspace[choice] else {
      let profiles = ctx.workspace.names(of: .profile)
      let hint = Spelling.closestMatch(to: choice, among: ["erk", "uniform"] + profiles).map { "did you mean '\($0)'? " } ?? ""
      throw ShellError("init=\(choice) is neither erk, uniform nor a profile in the workspace (\(hint)profiles: \(profiles.isEmpty ? "none yet" : profiles.joined(separator: ", ")))", at: inv.settings["init"]?.location)
    }
    guard p.sizes == model.model.sizes else {
      throw ShellError("profile \(choice) was built for \(p.sizes.map(String.init).joined(separator: "-")), the model is \(describe(model.model))", at: inv.settings["init"]?.location)
    }
    return (p.profile.masks, p.description, p.profile.spec)
  }

  private static func runTraining(_ method: TrainingMethod, _ ctx: CommandContext) throws -> JSONValue? {
    let inv = ctx.invocation
    let (dataName, dataObject) = try ctx.workspace.dataset(try inv.string("data"))
    var (modelName, model) = try currentOrDefaultModel(ctx, named: try inv.string("model"))
    let config = try trainingConfig(inv, ctx, method: method)
    let isSparse = model.model.layers.contains(where: \.isSparse)
    switch method {
    case .dense where isSparse:
      throw ShellError("\(modelName) is sparse (\(model.profileDescription ?? "masked")); train static trains it with its masks, profile dense makes it dense", at: inv.location)
    case .static where !isSparse:
      throw ShellError("\(modelName) is dense: give it masks first (e.g. profile random sparsity=0.9), or use train dense", at: inv.location)
    case .rigl, .set:
      if let start = try startingMasks(ctx, model, seed: config.seed) {
        model.model = try MLP(sizes: model.model.sizes, masks: start.masks, seed: config.seed)
        model.seed = config.seed
        model.profileDescription = start.description
        model.profile = start.spec
      }
    default: break
    }
    let runName = try inv.string("as") ?? ctx.workspace.freshName("run")
    if ctx.workspace[runName] != nil {
      throw ShellError("a \(ctx.workspace[runName]!.kind.rawValue) named '\(runName)' exists already (choose another as=, or drop it)", at: inv.settings["as"]?.location)
    }
    let trainer: Trainer
    do {
      trainer = try Trainer(model: model.model, data: dataObject.data, config: config)
    } catch {
      throw ShellError(error, at: inv.location)
    }
    var tags = ctx.interpreter.runTags
    tags["seed"] = tags["seed"] ?? String(config.seed)
    var run = TrainingRun(
      name: runName, method: method, modelName: modelName, datasetName: dataName,
      profileDescription: method == .dense ? nil : model.profileDescription, profile: model.profile,
      tags: tags, state: trainer.state)
    ctx.print("\(runName): train \(method.rawValue) \(modelName) (\(describe(model.model))\(isSparse || method.updatesMasks ? ", sparsity \(Format.fixed(trainer.model.sparsity, 3))" : "")) on \(dataName), \(config.epochs) epochs, \(config.optimizer.kind.rawValue) lr \(Format.number(config.learningRate)), batch \(config.batchSize), seed \(config.seed)")
    try trainToEnd(trainer, &run, model: &model, modelName: modelName, ctx)
    return runJSON(run, sparsity: trainer.model.sparsity)
  }

  /// Runs `trainer` to the end of its planned epochs or to Ctrl-C, then stores the run and the
  /// trained model in the workspace (an error leaves both as they were: the command fails).
  static func trainToEnd(_ trainer: Trainer, _ run: inout TrainingRun, model: inout ModelObject, modelName: String, _ ctx: CommandContext) throws {
    let started = ContinuousClock.now
    let progress = ProgressReporter(ctx, epochs: run.config.epochs)
    let outcome: TrainingOutcome
    do {
      outcome = try trainer.run(TrainingCallbacks(
        shouldStop: ctx.interpreter.interruptRequested,
        onBatch: progress.batch, onEpoch: progress.epoch))
    } catch {
      ctx.output.status(nil)
      throw ShellError(error, at: ctx.invocation.location)
    }
    ctx.output.status(nil)
    run.state = trainer.state
    run.wallSeconds += (ContinuousClock.now - started).seconds
    model.model = trainer.model
    model.lastRun = run.name
    if ctx.workspace[run.name] == nil {
      try ctx.workspace.put(.run(run), as: run.name)
    } else {
      ctx.workspace.update(.run(run), as: run.name)
      ctx.workspace.current[.run] = run.name
    }
    ctx.workspace.update(.model(model), as: modelName)
    ctx.workspace.current[.model] = modelName
    switch outcome {
    case .completed:
      if let e = run.lastEpoch {
        let val = e.validation.map { ", validation \(Format.percent($0.accuracy))" } ?? ""
        ctx.print("\(run.name): test accuracy \(Format.percent(e.test?.accuracy)) (loss \(Format.fixed(e.test?.loss, 4)))\(val); \(e.epoch) epoch\(e.epoch == 1 ? "" : "s"), \(Format.si(run.samplesPerSecond ?? .nan)) samples/s, \(Format.duration(run.wallSeconds))")
      }
      try ctx.interpreter.recordFinishedRun(run, model: trainer.model)
    case .interrupted(let epoch, let batch, let of):
      ctx.print("interrupted at epoch \(epoch), batch \(batch)/\(of): \(modelName) is consistent and usable; continue with: resume \(run.name)")
      ctx.interpreter.noteInterrupted()
    }
  }

  /// A run as JSON (`train`, `resume`, `show RUN --json`); `sparsity` is its model's when the
  /// model still holds what the run trained.
  static func runJSON(_ run: TrainingRun, sparsity: Double?) -> JSONValue {
    let e = run.lastEpoch
    return .obj([
      ("run", run.name.json), ("method", run.method.rawValue.json), ("model", run.modelName.json),
      ("dataset", run.datasetName.json), ("profile", run.profileDescription?.json),
      ("finished", .bool(run.isFinished)), ("epochs", run.state.epochsDone.json),
      ("seed", Int(run.config.seed).json), ("sparsity", sparsity.json),
      ("test_accuracy", e?.test?.accuracy.json), ("test_loss", e?.test?.loss.json),
      ("validation_accuracy", e?.validation?.accuracy.json), ("validation_loss", e?.validation?.loss.json),
      ("train_accuracy", e?.trainAccuracy.json), ("train_loss", e?.trainLoss.json),
      ("samples_per_second", run.samplesPerSecond.json), ("wall_seconds", run.wallSeconds.json),
      ("tags", .object(run.tags.keys.sorted().map { ($0, .string(run.tags[$0]!)) })),
      ("history", .array(run.state.history.map(epochJSON))),
    ])
  }

  static func epochJSON(_ e: EpochRecord) -> JSONValue {
    .obj([
      ("epoch", e.epoch.json), ("train_loss", e.trainLoss.json), ("train_accuracy", e.trainAccuracy.json),
      ("validation_loss", e.validation?.loss.json), ("validation_accuracy", e.validation?.accuracy.json),
      ("test_loss", e.test?.loss.json), ("test_accuracy", e.test?.accuracy.json),
      ("learning_rate", e.learningRate.json), ("samples_per_second", e.samplesPerSecond.json),
    ])
  }

  static let resume = CommandSpec(
    "resume", group: .training, summary: "continue an interrupted run exactly where it stopped",
    positionals: [PositionalSpec("run", .name(.run), "the run (default: the current one)", optional: true)],
    examples: ["resume", "resume run3"],
    handler: { ctx in
      let (runName, found) = try ctx.workspace.run(ctx.invocation.positional("run")?.value)
      var run = found
      guard !run.isFinished else {
        throw ShellError("\(runName) has finished its \(run.config.epochs) epochs (train again to start a new run)", at: ctx.invocation.location)
      }
      let (modelName, modelObject) = try ctx.workspace.model(run.modelName)
      var model = modelObject
      guard model.lastRun == runName else {
        throw ShellError("\(modelName) has changed since \(runName) stopped (it was re-profiled or trained by another run), so the run cannot continue exactly", at: ctx.invocation.location)
      }
      let (_, data) = try ctx.workspace.dataset(run.datasetName)
      let trainer: Trainer
      do {
        trainer = try Trainer(model: model.model, data: data.data, config: run.config, resuming: run.state)
      } catch {
        throw ShellError(error, at: ctx.invocation.location)
      }
      ctx.print("\(runName): resuming at epoch \(run.state.epochsDone + 1), batch \(run.state.batchesDone)")
      try trainToEnd(trainer, &run, model: &model, modelName: modelName, ctx)
      return runJSON(run, sparsity: trainer.model.sparsity)
    })
}

/// Live progress while training: a status line on a terminal (redrawn at most ten times a
/// second), and one line per epoch everywhere.
final class ProgressReporter {
  let ctx: CommandContext
  let epochs: Int
  var lastDraw = ContinuousClock.now - .seconds(1)

  init(_ ctx: CommandContext, epochs: Int) {
    self.ctx = ctx
    self.epochs = epochs
  }

  func batch(_ p: BatchProgress) {
    guard ctx.output.isTerminal, !ctx.jsonOutput else { return }
    let now = ContinuousClock.now
    guard now - lastDraw >= .milliseconds(100) || p.batch == p.batches else { return }
    lastDraw = now
    ctx.output.status(
      (ctx.interpreter.statusPrefix?() ?? "") + "epoch \(p.epoch)/\(p.epochs)  batch \(p.batch)/\(p.batches)  loss \(Format.fixed(p.loss, 4))  acc \(Format.percent(p.accuracy))  \(Format.si(p.samplesPerSecond)) samples/s  ETA \(Format.duration(p.secondsLeft))")
  }

  private var headerShown = false

  /// One line per epoch under a header, columns right-aligned:
  /// `  epoch  train loss     acc    test loss     acc       lr  samples/s`.
  func epoch(_ e: EpochRecord) {
    var cells: [(header: String, value: String, width: Int)] = [
      ("epoch", "\(e.epoch)/\(epochs)", 7),
      ("train loss", Format.fixed(e.trainLoss, 4), 10), ("acc", Format.percent(e.trainAccuracy), 7),
    ]
    if let v = e.validation {
      cells += [("val loss", Format.fixed(v.loss, 4), 10), ("acc", Format.percent(v.accuracy), 7)]
    }
    cells += [
      ("test loss", Format.fixed(e.test?.loss, 4), 10), ("acc", Format.percent(e.test?.accuracy), 7),
      ("lr", String(format: "%.1e", e.learningRate), 7), ("samples/s", Format.si(e.samplesPerSecond), 9),
    ]
    if !headerShown {
      headerShown = true
      ctx.print(cells.map { $0.header.leftPadded($0.width) }.joined(separator: "  "))
    }
    ctx.print(cells.map { $0.value.leftPadded($0.width) }.joined(separator: "  "))
  }
}

extension String {
  func leftPadded(_ width: Int) -> String {
    count >= width ? self : String(repeating: " ", count: width - count) + self
  }
}
