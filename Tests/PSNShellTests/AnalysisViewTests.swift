import Foundation
import PSNCore
import Testing
@testable import PSNShell

/// The analysis views through the interpreter: their numbers against values recomputed here from
/// the model and the run (by other formulas), their errors, and their width.
@Suite struct AnalysisViewTests {
  /// Population CV and the Gini coefficient by the pairwise definition, written out here.
  static func cvAndGini(_ k: [Int]) -> (mean: Double, cv: Double, gini: Double) {
    let x = k.map(Double.init)
    let n = Double(x.count)
    let mean = x.reduce(0, +) / n
    let std = (x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / n).squareRoot()
    var pairs = 0.0
    for a in x { for b in x { pairs += abs(a - b) } }
    return (mean, std / mean, pairs / (2 * n * n * mean))
  }

  @Test func faninMatchesTheMasks() throws {
    let s = try AnalysisSession.trained()
    let j = try s.json("show fanin bins=5")
    #expect(j["source"] as? String == "m1")
    #expect(j.layers.count == 3)
    for (l, layer) in s.model.layers.enumerated() {
      let o = j.layers[l]
      #expect(o.int("index") == l + 1)
      #expect(o.int("n_in") == layer.nIn && o.int("n_out") == layer.nOut)
      let k = layer.fanIns
      let want = Self.cvAndGini(k)
      #expect(abs(o.double("fanin_mean")! - want.mean) < 1e-9)
      #expect(abs(o.double("fanin_cv")! - want.cv) < 1e-9)
      #expect(abs(o.double("fanin_gini")! - want.gini) < 1e-9)
      #expect(o.int("fanin_min") == k.min() && o.int("fanin_max") == k.max())
      if layer.isSparse {
        let bins = o["histogram"] as! [[String: Any]]
        #expect(bins.count <= 5)
        #expect(bins.map { $0.int("count")! }.reduce(0, +) == layer.nOut)
        #expect(bins.first!.int("lower") == k.min() && bins.last!.int("upper")! >= k.max()!)
        for b in bins {
          #expect(b.int("count") == k.filter { $0 >= b.int("lower")! && $0 <= b.int("upper")! }.count)
        }
      } else {
        #expect(o["histogram"] == nil)
      }
    }
    let one = try s.json("show fanin layer=2")
    #expect(one.layers.count == 1 && one.layers[0].int("index") == 2)
    let profile = try s.json("show fanin profile=lognormal")
    #expect(profile["source"] as? String == "lognormal")
  }

  @Test func profileCurveListsEveryFanIn() throws {
    let s = try AnalysisSession.trained()
    let j = try s.json("show profile")
    #expect(j.layers.map { $0.int("index")! } == [1, 2], "the sparse layers")
    #expect(j.layers[0].ints("fanins") == s.model.layers[0].fanIns)
    let sorted = try s.json("show profile layer=2 order=sorted")
    #expect(sorted.layers[0].ints("fanins") == s.model.layers[1].fanIns.sorted(by: >))
  }

  /// At 95 % sparsity many first-layer neurons feed nothing in layer 2: `show hubs` gives each
  /// listed neuron's fan-out from the model's next mask, and names those it leaves without a
  /// gradient (G = 0, fan-out 0), exactly those.
  @Test func hubsThatFeedNothingAreNamed() throws {
    let s = AnalysisSession(columns: 80)
    try s.run("load synthetic n=600 features=36 classes=3 seed=2")
    try s.run("model hidden=24,12; profile random sparsity=0.95; train static epochs=1 batch=64")
    // Fan-outs counted here from layer 2's mask: how often each layer-1 neuron is a column.
    var fanOuts = [Int](repeating: 0, count: 24)
    for c in try #require(s.model.layers[1].mask).columns { fanOuts[Int(c)] += 1 }
    let hubs = try s.json("show hubs top=24 layer=1").layers[0]["hubs"] as! [[String: Any]]
    #expect(hubs.count == 24)
    var cut: [String] = []
    for hub in hubs {
      let j = hub.int("neuron")! - 1
      #expect(hub.int("fanout") == fanOuts[j])
      if fanOuts[j] == 0 {
        #expect(hub.double("grad_norm") == 0, "no gradient reaches 1:\(j + 1)")
        cut.append("1:\(j + 1)")
      }
    }
    #expect(!cut.isEmpty && cut.count < 24, "the case has neurons that feed nothing and neurons that do")
    let mark = s.output.lines.count
    try s.run("show hubs top=24 layer=1")
    let text = s.lines(since: mark).joined(separator: "\n")
    let named = text.components(separatedBy: "G = 0, fan-out 0:").last!
      .components(separatedBy: "no neuron of layer 2").first!
      .split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\n" }).map(String.init)
    #expect(named == cut)
    let mark2 = s.output.lines.count
    try s.run("show neuron \(cut[0])")
    #expect(s.lines(since: mark2).contains("  fan-out 0: read by 0 of layer 2's 12 neurons, so no gradient reaches it"))
    // The logit layer's neurons have no next layer: their fan-out is unknown, not 0.
    let logits = try s.json("show hubs layer=3 top=3").layers[0]["hubs"] as! [[String: Any]]
    #expect(logits.allSatisfy { $0["fanout"] is NSNull })
  }

  /// Concentration, correlation and the hub list from `show gradients`' own per-neuron arrays:
  /// hubs = the ⌈0.1·n⌉ largest fan-ins (ties to the lower index), concentration = their mean G
  /// over the layer's mean G.
  @Test func hubsAndGradientsAgreeWithTheirDefinitions() throws {
    let s = try AnalysisSession.trained()
    let g = try s.json("show gradients")
    let hubs = try s.json("show hubs top=4")
    #expect(g.layers.map { $0.int("index")! } == [1, 2])
    for (o, h) in zip(g.layers, hubs.layers) {
      let k = o.ints("fanins")
      let G = o.doubles("grad_norms")
      let n = k.count
      let order = k.indices.sorted { k[$0] != k[$1] ? k[$0] > k[$1] : $0 < $1 }
      let hubCount = Int((0.1 * Double(n)).rounded(.up))
      let mean = G.reduce(0, +) / Double(n)
      let hubMean = order.prefix(hubCount).map { G[$0] }.reduce(0, +) / Double(hubCount)
      #expect(abs(o.double("concentration")! - hubMean / mean) < 1e-9)
      #expect(abs(h.double("concentration")! - hubMean / mean) < 1e-9)
      #expect(h.int("hub_count") == hubCount)
      let (mk, mg) = (Double(k.reduce(0, +)) / Double(n), mean)
      let sxy = zip(k, G).map { (Double($0) - mk) * ($1 - mg) }.reduce(0, +)
      let sxx = k.map { (Double($0) - mk) * (Double($0) - mk) }.reduce(0, +)
      let syy = G.map { ($0 - mg) * ($0 - mg) }.reduce(0, +)
      #expect(abs(o.double("fanin_gradient_r")! - sxy / (sxx * syy).squareRoot()) < 1e-9)
      let listed = h["hubs"] as! [[String: Any]]
      #expect(listed.map { $0.int("neuron")! } == order.prefix(4).map { $0 + 1 })
      let total = G.reduce(0, +)
      for hub in listed {
        let j = hub.int("neuron")! - 1
        #expect(hub.int("fanin") == k[j])
        #expect(abs(hub.double("grad_share")! - G[j] / total) < 1e-12)
        #expect(abs(hub.double("relative_grad")! - G[j] / mean) < 1e-9)
        #expect((hub["is_hub"] as? Bool) == (order.firstIndex(of: j)! < hubCount))
      }
    }
    // The statistics themselves are the run's (to the last digit JSON keeps).
    for (a, b) in zip(g.layers[0].doubles("grad_norms"), s.run1.state.neuronStatistics![0].gradientNorms) {
      #expect(abs(a - b) <= 1e-15 * abs(b))
    }
  }

  @Test func neuronViewShowsWeightsStatisticsAndField() throws {
    let s = try AnalysisSession.trained()
    let stats = s.run1.state.neuronStatistics![0]
    let layer = s.model.layers[0]
    let j = try s.json("show neuron 1:3")
    #expect(j.int("layer") == 1 && j.int("neuron") == 3)
    #expect(j.int("fanin") == layer.fanIns[2])
    // Fan-out: how many layer-2 neurons list input 3 (counted here from their rows).
    let next = s.model.layers[1]
    #expect(j.int("fanout") == (0..<next.nOut).filter { next.incoming($0).inputs.contains(2) }.count)
    #expect(try s.json("show neuron 3:1")["fanout"] == nil, "the logit layer has no next layer")
    #expect(j.double("grad_norm") == stats.gradientNorms[2])
    #expect(j.double("activation_rate") == stats.activationRates![2])
    #expect(abs(j.double("bias")! - Double(layer.bias[2])) < 1e-7)
    let field = j["field"] as! [String: Any]
    #expect(field["image"] as? Bool == true)
    #expect(field.int("rows") == 6 && field.int("cols") == 6)
    let cells = field["weights"] as! [Any]
    let (inputs, weights) = layer.incoming(2)
    #expect(cells.count == 36)
    for i in 0..<36 {
      if let p = inputs.firstIndex(of: i) {
        #expect((cells[i] as? NSNumber)?.floatValue == weights[p], "input \(i)")
      } else {
        #expect(cells[i] is NSNull, "input \(i) is not connected")
      }
    }
    // A deeper neuron listens to units: 24 of them on a 5-column grid.
    let deep = try s.json("show neuron 2:1")
    let deepField = deep["field"] as! [String: Any]
    #expect(deepField["image"] as? Bool == false && deepField.int("cols") == 5 && deepField.int("rows") == 5)
    // The heat map and the legend are in the human output.
    let mark = s.output.lines.count
    try s.run("show neuron 1:3")
    let text = s.lines(since: mark).joined(separator: "\n")
    #expect(text.contains("┌────────────┐"), "a 6×6 field, two characters per pixel")
    #expect(text.contains(HeatMap.legend))
    #expect(text.contains("  fan-out \(j.int("fanout")!): read by \(j.int("fanout")!) of layer 2's 12 neurons"))
  }

  @Test func neuronImagesAreWritten() throws {
    let s = try AnalysisSession.trained()
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("psn-neuron-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let png = try s.json("show neuron 1:1 to=\(dir)/hub.png scale=3")
    #expect(png["file"] as? String == dir + "/hub.png")
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/hub.png")))
    #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    #expect(Array(bytes[16..<24]) == [0, 0, 0, 18, 0, 0, 0, 18], "6×6 inputs at scale 3")
    try s.run("show neuron 2:1 to=\(dir)/unit.svg")
    #expect(try String(contentsOfFile: dir + "/unit.svg", encoding: .utf8).contains("<svg"))
  }

  /// Each mistake, and each missing prerequisite, says what is wrong and what to do. `trained`:
  /// whether run1 (static, with statistics) exists first.
  static let errors: [(trained: Bool, setup: String, command: String, message: String)] = [
    (false, "", "show hubs", "no run yet: neuron statistics are gathered while a model trains (train static epochs=5, then show hubs)"),
    (false, "", "show gradients", "no run yet"),
    (false, "", "analyze hierarchy", "no run with neuron statistics yet"),
    (false, "", "show rigl", "no run yet: a fan-in trajectory is recorded by dynamic sparse training"),
    (true, "train static epochs=1 stats=false batch=64 as=quiet", "show hubs", "quiet was trained with stats=false, so it has no neuron statistics (train again without stats=false)"),
    (true, "train static epochs=1 stats=false batch=64 as=quiet", "analyze hierarchy quiet", "quiet was trained with stats=false"),
    (true, "", "show hubs layer=9", "layer=9 is out of range: run1 has 3 layers (layer=1…3)"),
    (true, "", "show hubs fraction=0", "fraction=0 is out of range"),
    (true, "", "show neuron 1-3", "'1-3' is not a neuron (write LAYER:INDEX, both counted from 1, e.g. 1:37)"),
    (true, "", "show neuron 0:3", "'0:3' is not a neuron"),
    (true, "", "show neuron 9:1", "m1 has 3 layers, so there is no layer 9 (layer 1…3)"),
    (true, "", "show neuron 1:999", "layer 1 of m1 has 24 neurons, so there is no neuron 999 (1:1…1:24)"),
    (true, "", "show neuron 1:1 to=field.jpg", "field.jpg: the file name must end in .png or .svg"),
    (true, "", "show neuron 1:1 to=/nonexistent-dir/x.png", "could not write the image: create /nonexistent-dir/x.png: No such file or directory"),
    (true, "", "show fanin model=m1 profile=lognormal", "give model= or profile=, not both"),
    (true, "", "show rigl", "run1 is a static run: its masks never moved, so it has no fan-in trajectory (train rigl or train set records one)"),
    (true, "", "show equilibrium", "run1 is a static run: its masks never moved"),
    (true, "", "analyze equilibrium run1", "run1 is a static run: its masks never moved, so it has no equilibrium"),
    (true, "", "analyze equilibrium", "no RigL or SET run yet"),
    (true, "", "analyze hierarchy layer=7", "layer=7 is out of range: the runs have at most 3 layers"),
    (true, "", "show hubs run=nope", "no run named 'nope'"),
  ]

  @Test(arguments: errors.indices)
  func errorsSayWhatToDo(_ i: Int) throws {
    let (trained, setup, command, message) = Self.errors[i]
    let s = trained ? try AnalysisSession.trained() : AnalysisSession()
    if !trained {
      try s.run("load synthetic n=600 features=36 classes=3 seed=2; model hidden=24,12; profile lognormal cv=1 sparsity=0.8")
    }
    if !setup.isEmpty { try s.run(setup) }
    let error = try #require(s.error(command), "\(command) should fail")
    #expect(error.contains(message), "\(command): \(error)")
    #expect(error.hasPrefix("test:1:"), "errors carry their place: \(error)")
  }

  /// A run stopped by Ctrl-C has no statistics yet, and says so.
  @Test func interruptedRunSaysWhyThereAreNoStatistics() throws {
    let s = AnalysisSession()
    try s.run("load synthetic n=600 features=36 classes=3 seed=2; model hidden=24,12; profile lognormal cv=1 sparsity=0.8")
    var polls = 0
    s.interpreter.interruptRequested = {
      polls += 1
      return polls == 11  // one poll before the command, then 8 batches per epoch: stops after batch 1 of epoch 2
    }
    _ = s.error("train static epochs=3 batch=64")
    s.interpreter.interruptRequested = { false }
    s.interpreter.resetInterrupt()
    #expect(s.run1.isFinished == false)
    let error = try #require(s.error("show hubs"))
    #expect(error.contains("run1 stopped at epoch 2 of 3, batch 1: neuron statistics are completed when a run finishes its last epoch (resume run1)"), "\(error)")
    // show neuron still works from the model, and notes what is missing.
    try s.run("show neuron 1:1")
    #expect(s.output.notes.last!.contains("run1 stopped at epoch 2 of 3"))
  }

  @Test func riglViewsGiveTheTrajectoryAndVerdict() throws {
    let s = AnalysisSession()
    try s.run("load synthetic n=600 features=36 classes=3 seed=2; model hidden=24,12")
    try s.run("train rigl init=erk epochs=4 batch=64 dt=2 as=erk")
    try s.run("profile lognormal cv=1 sparsity=0.8 as=ln; train rigl init=ln epochs=4 batch=64 dt=2 as=lognormal")
    let run = s.interpreter.workspace["erk"]!.run!
    let j = try s.json("show rigl run=erk")
    let updates = run.state.maskUpdates
    #expect(j.int("updates") == updates.count - 1)
    for o in j.layers {
      let l = o.int("index")! - 1
      let points = o["points"] as! [[String: Any]]
      #expect(points.count == updates.count)
      #expect(points[0]["ks_to_previous"] == nil, "update 0 has no previous")
      for (u, p) in points.enumerated() {
        #expect(p.int("step") == updates[u].step)
        #expect(u == 0 || p.int("step")! % 2 == 0, "every dt = 2 steps")
        let k = updates[u].layers.first { $0.layer == l }!.fanIns
        #expect(abs(p.double("fanin_cv")! - Self.cvAndGini(k).cv) < 1e-9)
        let logs = k.filter { $0 > 0 }.map { log(Double($0)) }
        let mu = logs.reduce(0, +) / Double(logs.count)
        #expect(abs(p.double("mu")! - mu) < 1e-9)
      }
    }
    let e = try s.json("show equilibrium run=erk cv_abs=0.5 ks_tol=0.5 sigma_tol=0.5")
    let criterion = e["criterion"] as! [String: Any]
    #expect(criterion.double("cv_abs") == 0.5 && criterion.double("ks_tol") == 0.5 && criterion.double("cv_rel") == 0.05)
    let verdicts = run.state.maskUpdates.isEmpty ? [] : FanInTrajectory(updates).verdicts({
      var c = FanInTrajectory.Criterion()
      (c.cvAbsolute, c.ks, c.sigma) = (0.5, 0.5, 0.5)
      return c
    }())
    #expect(e.layers.map { $0["converged"] as! Bool } == verdicts.map(\.converged))
    #expect(e.layers.map { $0.int("stable_from_update")! } == verdicts.map(\.stableFromUpdate))
    let a = try s.json("analyze equilibrium")
    let first = a.layers[0]["runs"] as! [[String: Any]]
    #expect(first.map { $0["run"] as! String } == ["erk", "lognormal"])
    #expect(first[1].double("start_cv")! > 0.9, "the lognormal start")
    #expect(a.layers[0].double("max_final_ks") != nil)
  }

  /// Pearson r across runs from the per-run points `analyze hierarchy` reports; by=masks averages
  /// runs of the same masks.
  @Test func analyzeHierarchyCorrelatesRuns() throws {
    let s = AnalysisSession()
    try s.run("load synthetic n=600 features=36 classes=3 seed=2; model hidden=24,12")
    try s.run("for cv in 0.3 0.63 1 { for seed in 1 2 { profile lognormal cv=$cv sparsity=0.8; train static epochs=1 batch=64 as=c$cv-s$seed } }")
    let j = try s.json("analyze hierarchy layer=1,2")
    #expect(j.layers.count == 2)
    for o in j.layers {
      let runs = o["runs"] as! [[String: Any]]
      #expect(runs.count == 6)
      let x = runs.map { $0.double("fanin_cv")! }
      let y = runs.map { $0.double("concentration")! }
      let (mx, my) = (x.reduce(0, +) / 6, y.reduce(0, +) / 6)
      let sxy = zip(x, y).map { ($0 - mx) * ($1 - my) }.reduce(0, +)
      let sxx = x.map { ($0 - mx) * ($0 - mx) }.reduce(0, +)
      let syy = y.map { ($0 - my) * ($0 - my) }.reduce(0, +)
      #expect(abs(o.double("pearson_r")! - sxy / (sxx * syy).squareRoot()) < 1e-9)
      #expect(o.int("n") == 6)
    }
    let grouped = try s.json("analyze hierarchy by=masks")
    let groups = grouped.layers[0]["groups"] as! [[String: Any]]
    #expect(groups.count == 3 && grouped.layers[0].int("n") == 3)
    let runs = grouped.layers[0]["runs"] as! [[String: Any]]
    for (g, pair) in zip(groups, [runs[0..<2], runs[2..<4], runs[4..<6]]) {
      #expect((g["runs"] as! [String]) == pair.map { $0["run"] as! String })
      let mean = pair.map { $0.double("concentration")! }.reduce(0, +) / 2
      #expect(abs(g.double("concentration")! - mean) < 1e-12)
    }
    let named = try s.json("analyze hierarchy c0.3-s1 c0.63-s1 c1-s1")
    #expect((named.layers[0]["runs"] as! [[String: Any]]).count == 3)
  }

  /// Every line a view draws fits in 80 columns (the profile summary lines are the profile
  /// command's own and are left out).
  @Test func viewsFitIn80Columns() throws {
    let s = try AnalysisSession.trained(columns: 80)
    try s.run("train rigl init=erk epochs=3 batch=64 dt=2 as=erk")
    let mark = s.output.lines.count
    try s.run("show fanin; show profile; show hubs run=run1; show neuron 1:2 run=run1; show neuron 2:2; show gradients run=run1; show rigl; show equilibrium; analyze equilibrium; analyze hierarchy by=masks")
    let layerLine = /^layer \d+  \d+→\d+/
    let wide = s.lines(since: mark).filter { $0.count > 80 && (try? layerLine.prefixMatch(in: $0)) == nil }
    #expect(wide.isEmpty, "lines wider than 80 columns:\n\(wide.joined(separator: "\n"))")
  }
}
