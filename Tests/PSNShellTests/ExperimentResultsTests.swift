import Foundation
import Testing

@testable import PSNCore
@testable import PSNShell

/// `table`, `compare`, `correlate`, `results`, `merge`, `export`, and the results database
/// travelling with `save`/`open`: numbers checked against values computed here from the
/// workspace's runs, and bad input.
@Suite struct ExperimentResultsTests {
  /// Four profiles at two sparsities, three seeds: 24 tiny runs.
  static let grid = "sweep profile=lognormal,random sparsity=0.5,0.75 seeds=1..3 name=g { profile $profile sparsity=$sparsity as=masks; train static epochs=2 as=$profile-$sparsity-s$seed }"

  func gridShell() -> ExperimentShell {
    let s = ExperimentShell()
    s.ok(tinySetup)
    s.ok(Self.grid)
    return s
  }

  func accuracies(_ s: ExperimentShell, _ prefix: String) throws -> [Double] {
    try (1...3).map { try #require(try s.shell.workspace.run("\(prefix)-s\($0)").object.testAccuracy) }
  }

  func lastJSON(_ s: ExperimentShell, _ key: String) throws -> [String: Any] {
    try #require(jsonObjects(s.output, with: key).last)
  }

  @Test func aGridWithColumnsAndABaselineHoldsTheCellsDifferences() throws {
    let s = gridShell()
    let mark = s.output.lines.count
    s.ok("table profile cols=sparsity baseline=random")
    let rows = s.table(after: "sweep g: test_accuracy over 12 runs", since: mark)
    #expect(rows.first?.split(separator: " ").map(String.init) == ["profile", "sparsity=0.5", "sparsity=0.75"])
    let means = try ["lognormal-0.5", "lognormal-0.75", "random-0.5", "random-0.75"].map { meanAndSD(try accuracies(s, $0)) }
    func cell(_ m: (mean: Double, sd: Double)) -> String { "\(Format.percent(m.mean)) ± \(Format.percent(m.sd))" }
    #expect(rows[2].contains(cell(means[0])) && rows[2].contains(cell(means[1])) && rows[3].contains(cell(means[2])))
    let difference = s.table(after: "difference from profile=random:", since: mark)
    let delta = difference[2].split(separator: " ").map(String.init)
    #expect(delta == ["lognormal", "\(means[0].mean >= means[2].mean ? "+" : "")\(Format.percent(means[0].mean - means[2].mean))", "\(means[1].mean >= means[3].mean ? "+" : "")\(Format.percent(means[1].mean - means[3].mean))"])

    s.ok("table profile sparsity baseline=random --json")
    let cells = try #require(try lastJSON(s, "cells")["cells"] as? [[String: Any]])
    #expect(cells.count == 4)
    let lognormal05 = try #require(cells.first)
    #expect(abs(try #require(lognormal05["difference"] as? Double) - (means[0].mean - means[2].mean)) < 1e-12, "the same sparsity's random cell")
    #expect(lognormal05["std"] as? Double == (try SampleSummary(try accuracies(s, "lognormal-0.5")).standardDeviation))
  }

  @Test func compareGivesWelchCohenAndThePairedTestOnTheGroupsRuns() throws {
    let s = gridShell()
    s.ok("compare lognormal random by=profile where=\"tag.sparsity = 0.5\"")
    let out = s.output.transcript
    let (a, b) = (try accuracies(s, "lognormal-0.5"), try accuracies(s, "random-0.5"))
    // Welch's t from its definition, independently of PSNCore.
    let (ma, sa) = meanAndSD(a), (mb, sb) = meanAndSD(b)
    let t = (ma - mb) / (sa * sa / 3 + sb * sb / 3).squareRoot()
    #expect(out.contains("  difference lognormal − random: \(ma >= mb ? "+" : "")\(Format.percent(ma - mb))"))
    #expect(out.contains("  Welch's t-test: t = \(Format.fixed(t, 3)), ν = "))
    #expect(out.contains("  Cohen's d = \(Format.fixed((ma - mb) / ((sa * sa + sb * sb) / 2).squareRoot(), 3)), Hedges' g = "))
    #expect(out.contains("  paired t-test over the 3 shared seeds: t = "))

    s.ok("compare lognormal random by=profile where=\"tag.sparsity = 0.5\" --json")
    let json = try lastJSON(s, "welch_p")
    let welch = try Statistics.welchTTest(a, b)
    #expect(json["welch_t"] as? Double == welch.t && json["welch_p"] as? Double == welch.pValue)
    #expect(json["paired_p"] as? Double == (try Statistics.pairedTTest(a, b)).pValue)
    #expect(json["cohens_d"] as? Double == (try Statistics.cohensD(a, b)))
  }

  @Test func correlateUsesTheCellMeansOrEveryRun() throws {
    let s = gridShell()
    s.ok("correlate fanin_cv@1 test_accuracy by=profile,sparsity --json")
    let json = try lastJSON(s, "pearson_r")
    let points = try #require(json["points"] as? [[String: Any]])
    #expect(points.map { $0["label"] as? String } == ["profile=lognormal sparsity=0.5", "profile=lognormal sparsity=0.75", "profile=random sparsity=0.5", "profile=random sparsity=0.75"])
    let ys = try ["lognormal-0.5", "lognormal-0.75", "random-0.5", "random-0.75"].map { meanAndSD(try accuracies(s, $0)).mean }
    #expect(points.map { $0["y"] as? Double } == ys)
    let xs = points.compactMap { $0["x"] as? Double }
    #expect(json["pearson_r"] as? Double == (try Statistics.pearson(xs, ys)).r)

    s.ok("correlate fanin_cv@1 test_accuracy")
    #expect(s.output.lines.contains { $0.hasPrefix("sweep g: fanin_cv@1 against test_accuracy over 12 runs") })
    #expect(s.output.lines.contains { $0.hasPrefix("  Pearson r = ") && $0.hasSuffix(", n = 12)") })
    s.ok("correlate fanin_cv@1 test_accuracy where=\"runs.seed = 1 and tag.sparsity = 0.5\"")
    #expect(s.output.lines.contains("  Pearson r: needs at least 3 values, got 2 (collect more samples, e.g. run more seeds)"))
  }

  @Test func exportWritesEveryRunOrOneSweepsAsCSVAndJSON() throws {
    let s = gridShell()
    s.ok("repeat seeds=1 name=extra { train static epochs=1 as=extra }")
    s.ok("export runs to=\(s.dir)/all.csv")
    let csv = try String(contentsOfFile: s.dir + "/all.csv", encoding: .utf8).split(separator: "\n")
    #expect(csv.count == 14 && csv[0].hasPrefix("uuid,name,method,"))
    s.ok("export runs to=\(s.dir)/g.json sweep=g where=\"tag.sparsity = 0.75\"")
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: s.dir + "/g.json"))) as? [[String: Any]]
    #expect(json?.count == 6 && json?.allSatisfy { ($0["tags"] as? [String: String])?["sparsity"] == "0.75" } == true)
    #expect(s.output.lines.contains("exported 6 runs to \(s.dir)/g.json"))
  }

  @Test func resultsAttachesAFileAndCopiesTheSessionsRunsIntoIt() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("psn-attach-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let s = TestShell()
    s.ok(tinySetup + "; " + twoByTwoSweep)
    let session = try #require(s.interpreter.results.database?.path)
    s.ok("results \(dir)/kept.sqlite")
    #expect(s.output.lines.last == "results: \(dir)/kept.sqlite, 4 runs (4 copied from this session)")
    #expect(!FileManager.default.fileExists(atPath: session), "the session file is gone once attached")
    s.ok("profile random sparsity=0.5; train static epochs=1 as=later")
    let kept = try ResultsDatabase(path: dir + "/kept.sqlite", readOnly: true)
    #expect(try kept.runs().map(\.name).contains("later"))
    s.ok("results")
    #expect(s.output.lines.contains("results: \(dir)/kept.sqlite"))
    #expect(s.output.lines.contains("  5 runs; integrity: ok"))
    #expect(s.output.lines.contains { $0.hasPrefix("  grid") && $0.hasSuffix("profile     4      4") })
  }

  @Test func saveCarriesTheDatabaseAndOpenAddsItsRunsBack() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("psn-ws-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let s = TestShell()
    s.ok(tinySetup + "; " + twoByTwoSweep)
    s.ok("save \(dir)")
    #expect(try ResultsDatabase(path: dir + "/results.sqlite", readOnly: true).runCount() == 4)
    let other = TestShell()
    other.ok(tinySetup + "; profile random sparsity=0.5; train static epochs=1 as=mine")
    other.ok("open \(dir)")
    other.ok("results")
    #expect(other.output.lines.contains("  5 runs; integrity: ok"), "the save's 4 runs beside this session's own")
    other.ok("open \(dir)")
    other.ok("table sweep=grid")
    #expect(other.output.lines.last { $0.hasPrefix("sweep grid:") } == "sweep grid: test_accuracy over 4 runs (\(other.interpreter.results.database!.path))", "opening twice adds nothing")
  }

  static let badQueries: [(String, String)] = [
    ("table baseline=nosuch", "t.psn:1:7: baseline=nosuch: no cell has profile=nosuch (values: lognormal, random)"),
    ("table baseline=ranodm", "t.psn:1:7: baseline=ranodm: no cell has profile=ranodm (did you mean 'random'? values: lognormal, random)"),
    ("table metric=test_acuracy", "t.psn:1:7: metric 'test_acuracy': unknown metric (did you mean 'test_accuracy'?)"),
    ("table metric=fanin_cv", "t.psn:1:7: metric 'fanin_cv': unknown metric (did you mean 'fanin_cv@1'?)"),
    ("table sweep=gird", "t.psn:1:7: no runs of sweep 'gird' in DB (did you mean 'grid'? sweeps: grid; sweep=all takes every run)"),
    ("table profle", "t.psn:1:7: key 'profle': no selected run has a value for that tag or field (did you mean 'profile'?)"),
    ("table profile cols=modle", "t.psn:1:15: key 'modle': no selected run has a value for that tag or field (did you mean 'model'?)"),
    ("correlate test_accuracy test_loss by=profile,sed", "t.psn:1:35: key 'sed': no selected run has a value for that tag or field (did you mean 'seed'?)"),
    ("table where=\"profil = 'random'\"", "t.psn:1:7: where=profil = 'random': no such column: profil (did you mean 'profile'?)"),
    ("compare lognormal ranodm", "t.psn:1:19: no runs with profile=ranodm in sweep grid (did you mean 'random'? values of profile: lognormal, random)"),
    ("compare a b by=cv", "t.psn:1:9: no runs with cv=a in sweep grid (values of cv: none)"),
    ("correlate fanin_cv@9 test_accuracy", "t.psn:1:1: no run of sweep grid has fanin_cv@9 and test_accuracy (the runs have layers 1–3)"),
    ("table metric=gradient_concentration@4", "t.psn:1:7: no run of sweep grid has gradient_concentration@4 (the runs have layers 1–3; gradient metrics need runs trained with stats=true)"),
    ("export runs", "t.psn:1:1: export runs needs to=FILE.csv or to=FILE.json"),
    ("export runs to=x.txt", "t.psn:1:13: export to=X.TXT: unknown format (the file name must end in .csv or .json)"),
    ("merge nosuch.sqlite", "t.psn:1:1: NOSUCH: no such results database (check the path)"),
    ("results /nonexistent-dir/x.sqlite", "t.psn:1:9: /nonexistent-dir/x.sqlite: cannot open the results database"),
  ]

  @Test(arguments: badQueries) func badQueriesSayWhatToFix(_ text: String, _ message: String) throws {
    let s = ExperimentShell()
    s.ok(tinySetup + "; " + twoByTwoSweep.replacingOccurrences(of: "train static epochs=2", with: "train static epochs=1"))
    let got = s.error(text).replacingOccurrences(of: s.dbPath, with: "DB")
      .replacingOccurrences(of: s.shell.interpreter.resolvePath("nosuch.sqlite"), with: "NOSUCH")
      .replacingOccurrences(of: s.shell.interpreter.resolvePath("x.txt"), with: "X.TXT")
    if message.hasSuffix("has no values here") || message.hasSuffix("cannot open the results database") {
      #expect(got.hasPrefix(message) || got.contains("fanin_cv@9"), "\(got)")
    } else {
      #expect(got == message)
    }
  }

  @Test func compareWithoutByNeedsASweepOfOneKey() {
    let s = gridShell()
    #expect(s.error("compare lognormal random") == "t.psn:1:1: compare needs by=KEY, the key whose values name the groups (sweep g has keys profile, sparsity)")
  }

  @Test func resultsCommandsStepAsideInAShard() {
    let s = ExperimentShell(shard: "1/2")
    s.ok(tinySetup + "; " + twoByTwoSweep + "; table; compare lognormal random; export runs to=\(s.dir)/x.csv")
    #expect(s.output.notes.filter { $0.contains("skipped in shard 1/2") }.count == 3)
    #expect(!FileManager.default.fileExists(atPath: s.dir + "/x.csv"))
  }
}
