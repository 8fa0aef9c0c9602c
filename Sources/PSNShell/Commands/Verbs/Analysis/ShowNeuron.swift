import PSNCore

extension CommandSpec {
  /// `show neuron L:J`: one neuron's fan-in, gradient norm and rank, weights, and its receptive
  /// field — pixels for a first-layer neuron of image data, units of the layer below otherwise
  /// (docs/analysis.md "One neuron", "Receptive fields").
  static let showNeuron = CommandSpec(
    "neuron", group: .analysis, summary: "one neuron: fan-in, gradient, weights, and what it listens to",
    details: """
      Weights come from the model (the run's model by default); G, ranks and activity from the run's
      neuron statistics. to=FILE.png or FILE.svg writes the receptive field in colour: red positive,
      blue negative, white near 0, grey where the neuron has no connection.
      """,
    positionals: [PositionalSpec("neuron", .text, "LAYER:INDEX, both counted from 1 (1:37 is neuron 37 of layer 1)")],
    keys: [
      KeySpec("run", .name(.run), "the run whose statistics to show (default: the current run, if it trained the model)"),
      KeySpec("model", .name(.model), "the model whose weights to show (default: the run's model, else the current one)"),
      hubFractionKey,
      KeySpec("to", .path, "also write the receptive field as an image: FILE.png or FILE.svg"),
      KeySpec("scale", .int(1...100), default: "10", "image pixels per input in to=FILE"),
      KeySpec("strongest", .int(0...10_000), default: "5", "list this many inputs of largest |w|"),
    ],
    examples: ["show neuron 1:37", "show neuron 1:1 to=hub.png", "show neuron 2:5 run=run2"],
    handler: { ctx in
      let inv = ctx.invocation
      let word = inv.positional("neuron")!
      let (l, j) = try parseNeuron(word)
      let (run, modelName, m) = try neuronSources(ctx)
      let model = m.model
      guard l < model.layers.count else {
        throw ShellError("\(modelName) has \(model.layers.count) layers, so there is no layer \(l + 1) (layer 1…\(model.layers.count))", at: word.location)
      }
      let layer = model.layers[l]
      guard j < layer.nOut else {
        throw ShellError("layer \(l + 1) of \(modelName) has \(layer.nOut) neurons, so there is no neuron \(j + 1) (\(l + 1):1…\(l + 1):\(layer.nOut))", at: word.location)
      }
      let q = try inv.double("fraction")!
      ctx.print("neuron \(l + 1):\(j + 1) of \(modelName): \(layerTitle(l, nIn: layer.nIn, nOut: layer.nOut, sparse: layer.isSparse))" + (run.map { ", statistics from \($0.name)" } ?? ""))
      var summary: NeuronSummary?
      if let run {
        if let stats = run.state.neuronStatistics, stats.count == model.layers.count, stats[l].fanIns.count == layer.nOut {
          summary = stats[l].summary(of: j, hubFraction: q)
          if m.lastRun != run.name {
            ctx.note("(\(modelName) has changed since \(run.name): weights below are \(modelName)'s now, statistics are \(run.name)'s)")
          }
        } else {
          ctx.note("(" + (run.state.neuronStatistics == nil ? missingStatistics(run) : "\(run.name) trained a different architecture than \(modelName)") + ")")
        }
      } else {
        ctx.note("(no run yet, so no gradient statistics: train the model, then show neuron again)")
      }
      if let s = summary, let hubCount = run?.state.neuronStatistics?[l].hubCount(fraction: q) {
        ctx.print("  fan-in \(s.fanIn) (rank \(s.fanInRank) of \(layer.nOut)\(s.isHub ? ", a hub: top \(hubCount) by fan-in" : ""))")
        ctx.print("  G \(Format.fixed(s.gradientNorm, 5)) (rank \(s.gradientRank) of \(layer.nOut))  share \(Format.percent(s.gradientShare))  G/mean \(Format.fixed(s.relativeGradient, 3))")
      } else {
        ctx.print("  fan-in \(layer.fanIns[j])")
      }
      // How many neurons of the next layer read this one (the logit layer has no next layer).
      let fanOut = l + 1 < model.layers.count ? model.layers[l + 1].fanOuts[j] : nil
      if let fanOut {
        ctx.print("  fan-out \(fanOut): read by \(fanOut) of layer \(l + 2)'s \(model.layers[l + 1].nOut) neurons" + (fanOut == 0 ? ", so no gradient reaches it" : ""))
      }
      let bias = Double(layer.bias[j])
      let weightNorm = summary?.weightNorm ?? layer.incoming(j).weights.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
      ctx.print("  weight norm \(Format.fixed(weightNorm, 4))  bias \(Format.fixed(bias, 4))" + (summary?.activationRate.map { "  ReLU on for \(Format.percent($0, digits: 1)) of samples" } ?? ""))
      let image = l == 0 ? imageShape(ctx, datasetName: m.datasetName ?? run?.datasetName) : nil
      let field = ReceptiveField(layer: layer, neuron: j, image: image)
      ctx.print("  receptive field: \(fieldSummary(field))")
      ctx.print(HeatMap(rows: field.rows, cols: field.cols, values: field.magnitudes, filled: field.inputCount).render(width: plotColumns(ctx), indent: "  "))
      ctx.print("  " + HeatMap.legend)
      let strongest = field.strongest(try inv.int("strongest")!)
      if !strongest.isEmpty {
        ctx.print(wrapped(strongest.map { "\(inputName($0.input, field)) \(Format.fixed(Double($0.weight), 3))" }, lead: "  strongest inputs: ", width: plotColumns(ctx)))
      }
      var file: String?
      if let path = try inv.string("to") {
        let resolved = ctx.interpreter.resolvePath(path)
        let scale = try inv.int("scale")!
        do throws(ImageError) {
          try field.write(to: resolved, scale: scale, title: "neuron \(l + 1):\(j + 1) of \(modelName)")
        } catch {
          throw ShellError(error.description, at: inv.settings["to"]?.location)
        }
        file = resolved
        ctx.print("  wrote \(path) (\(field.rows)×\(field.cols) inputs, \(scale)×\(scale) pixels each)")
        ctx.print("  colours: red > 0, blue < 0, white near 0, grey not connected")
      }
      return .obj([
        ("model", modelName.json), ("run", run?.name.json), ("layer", (l + 1).json), ("neuron", (j + 1).json),
        ("fanin", layer.fanIns[j].json), ("fanout", fanOut?.json), ("grad_norm", summary?.gradientNorm.json), ("grad_share", summary?.gradientShare.json),
        ("relative_grad", summary?.relativeGradient.json), ("fanin_rank", summary?.fanInRank.json),
        ("grad_rank", summary?.gradientRank.json), ("is_hub", summary.map { .bool($0.isHub) }),
        ("weight_norm", weightNorm.json), ("bias", bias.json), ("activation_rate", summary?.activationRate.json),
        ("field", .obj([
          ("rows", field.rows.json), ("cols", field.cols.json), ("image", .bool(field.isImage)),
          ("connected", field.connected.json), ("positive", field.positive.json), ("negative", field.negative.json),
          ("weights", .array(field.weights.map { $0.map { .number(Double($0)) } ?? .null })),
        ])),
        ("file", file?.json),
      ])
    })

  /// `1:37` → (0, 36).
  static func parseNeuron(_ word: Invocation.Argument) throws -> (layer: Int, neuron: Int) {
    let parts = word.value.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2, let l = Int(parts[0]), let j = Int(parts[1]), l >= 1, j >= 1 else {
      throw ShellError("'\(word.value)' is not a neuron (write LAYER:INDEX, both counted from 1, e.g. 1:37)", at: word.location)
    }
    return (l - 1, j - 1)
  }

  /// The run (if any) and model a neuron view reads: run= or the current run; model= or the
  /// run's model, else the current model.
  private static func neuronSources(_ ctx: CommandContext) throws -> (run: TrainingRun?, modelName: String, model: ModelObject) {
    let inv = ctx.invocation
    let modelGiven = try inv.string("model")
    var run: TrainingRun?
    if let name = try inv.string("run") {
      run = try ctx.workspace.run(name).object
    } else if let name = ctx.workspace.current[.run], let r = ctx.workspace[name]?.run, modelGiven == nil || r.modelName == modelGiven {
      run = r
    }
    let (modelName, m) = try ctx.workspace.model(modelGiven ?? run?.modelName)
    return (run, modelName, m)
  }

  private static func imageShape(_ ctx: CommandContext, datasetName: String?) -> Dataset.ImageShape? {
    guard let datasetName, case .dataset(let d)? = ctx.workspace[datasetName] else { return nil }
    return d.data.imageShape
  }

  /// `(13, 14)` for a pixel (row, column from 0), `unit 17` for a unit of the layer below.
  private static func inputName(_ i: Int, _ f: ReceptiveField) -> String {
    f.isImage ? "(\(i / f.cols), \(i % f.cols))" : "unit \(i + 1)"
  }
}
