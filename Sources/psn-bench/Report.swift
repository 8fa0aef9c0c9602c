import Foundation
import PSNCore

/// Prints psn-bench's tables (or JSON), with the machine's state alongside every number.
struct Report {
  let json: Bool

  /// The 1-, 5- and 15-minute load averages (the machine is shared: read numbers with them).
  static var loadAverage: String {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))
      .map { $0.split(separator: " ").prefix(3).joined(separator: " ") } ?? "unknown"
  }

  func printJSON<T: Encodable>(_ value: T) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    print(String(decoding: try! encoder.encode(value), as: UTF8.self))
  }

  func header(_ bench: TrainingBenchmark, data: Dataset, what: String) {
    guard !json else { return }
    print("psn-bench: \(what)")
    print("  model \(bench.sizes.map(String.init).joined(separator: "-")), batch \(bench.batchSize), Adam lr 3e-3 cosine, \(data.name) (\(data.train.count) training samples)")
    print("  \(bench.threads) thread\(bench.threads == 1 ? "" : "s"), OpenBLAS kernels \(Gemm.coreName), load average \(Self.loadAverage) (\(ProcessInfo.processInfo.activeProcessorCount) CPUs)")
    print("")
  }

  func foundation(_ results: [TrainingBenchmark.Result], kernels: [KernelBenchmark.Result]) {
    if json {
      struct Output: Encodable {
        var training: [TrainingBenchmark.Result]
        var kernels: [KernelBenchmark.Result]
        var loadAverage: String
      }
      printJSON(Output(training: results, kernels: kernels, loadAverage: Self.loadAverage))
      return
    }
    let rate = Dictionary(uniqueKeysWithValues: results.map { ($0.name, $0.samplesPerSecond) })
    let dense = rate["dense"] ?? .nan
    print("Training (best of \(results.first?.roundSamplesPerSecond.count ?? 0) alternating rounds of \(results.first?.samplesPerRound ?? 0) samples)")
    print(pad("configuration", 16) + lpad("sparsity", 9) + lpad("samples/s", 12) + lpad("vs dense", 10) + "   rounds (k samples/s)")
    for r in results {
      let rounds = r.roundSamplesPerSecond.map { String(format: "%.0f", $0 / 1000) }.joined(separator: " ")
      print(pad(r.name, 16) + lpad(String(format: "%.1f%%", r.sparsity * 100), 9) + lpad(String(format: "%.0f", r.samplesPerSecond), 12)
        + lpad(String(format: "%.2f×", r.samplesPerSecond / dense), 10) + "   " + rounds)
    }
    print("")
    self.kernels(kernels)
    let denseRate = kernels.filter { $0.density >= 1 }.map(\.gflops).max() ?? .nan
    let sparseRates = kernels.filter { $0.density < 1 }
    let worst = sparseRates.min { $0.gflops < $1.gflops }
    print("Checks (same run)")
    print(String(format: "  static 90%% / dense            %6.2f×   (Foundation: ≥ 3×)", (rate["static90"] ?? .nan) / dense))
    print(String(format: "  RigL 90%% step cost / static    %6.2f×   (RigL: ≤ 1.3×)", (rate["static90"] ?? .nan) / (rate["rigl90"] ?? .nan)))
    print(String(format: "  statistics collection cost     %6.1f%%   (gradient hierarchy: ≤ 15%%)", 100 * (1 - (rate["stats90"] ?? .nan) / (rate["static90"] ?? .nan))))
    if let worst {
      print(String(format: "  slowest sparse kernel / dense  %6.0f%%   (%@ at %g%% density; target ≥ 40%%)", 100 * worst.gflops / denseRate, worst.kernel, worst.density * 100))
    }
  }

  func kernels(_ kernels: [KernelBenchmark.Result]) {
    if json {
      printJSON(kernels)
      return
    }
    let densities = Array(Set(kernels.map(\.density))).sorted(by: >)
    let clock = kernels.first.map { $0.cpuTime ? "thread CPU time" : "wall clock" } ?? ""
    print("Kernels, layer \(kernelShape(kernels)), \(clock) (GFLOP/s of useful work: 2 · active weights · batch per call; µs per call)")
    print(pad("kernel", 18) + densities.map { lpad($0 >= 1 ? "dense" : String(format: "%g%% dense", $0 * 100), 20) }.joined())
    for name in ["forward", "backward-input", "weight-gradient"] {
      let row = densities.map { d -> String in
        guard let k = kernels.first(where: { $0.kernel == name && $0.density == d }) else { return lpad("-", 20) }
        return lpad(String(format: "%.1f (%.0f µs)", k.gflops, k.secondsPerCall * 1e6), 20)
      }
      print(pad(name, 18) + row.joined())
    }
    print("")
  }

  func kernelShape(_ kernels: [KernelBenchmark.Result]) -> String {
    kernels.first.map { "\($0.nIn)→\($0.nOut), batch \($0.batch)" } ?? ""
  }

  func profile(name: String, _ p: StepProfile) {
    let total = p.totalSeconds
    if json {
      struct Row: Encodable { var configuration: String; var phase: String; var layer: Int?; var secondsPerStep: Double; var share: Double }
      for e in p.entries {
        printJSON(Row(configuration: name, phase: e.phase.rawValue, layer: e.layer.map { $0 + 1 }, secondsPerStep: e.seconds / Double(p.steps), share: e.seconds / total))
      }
      return
    }
    print(String(format: "%@: %.1f µs per step, %.0f samples/s (%@)", name, total / Double(p.steps) * 1e6, Double(p.samples) / total, p.cpuTime ? "thread CPU time" : "wall clock"))
    for e in p.entries {
      let label = e.phase.rawValue + (e.layer.map { " L\($0 + 1)" } ?? "")
      let share = e.seconds / total
      print("  " + pad(label, 22) + lpad(String(format: "%.1f µs", e.seconds / Double(p.steps) * 1e6), 12)
        + lpad(String(format: "%.1f%%", share * 100), 8) + "  " + String(repeating: "█", count: Int((share * 40).rounded())))
    }
    print("")
  }

  func sweep(sizes: [Int], _ results: [TrainingBenchmark.Result]) {
    if json {
      struct Row: Encodable { var sizes: [Int]; var result: TrainingBenchmark.Result }
      for r in results { printJSON(Row(sizes: sizes, result: r)) }
      return
    }
    let dense = results.first { $0.sparsity == 0 }?.samplesPerSecond ?? .nan
    print("\(sizes.map(String.init).joined(separator: "-")) (best of \(results.first?.roundSamplesPerSecond.count ?? 0) alternating rounds)")
    print(pad("sparsity", 10) + lpad("samples/s", 12) + lpad("vs dense", 10))
    for r in results {
      print(pad(r.name, 10) + lpad(String(format: "%.0f", r.samplesPerSecond), 12) + lpad(String(format: "%.2f×", r.samplesPerSecond / dense), 10))
    }
    print("")
  }

  func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
  func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? " " + s : String(repeating: " ", count: n - s.count) + s }
}
