import ArgumentParser
import Foundation
import PSNCore

/// psn's benchmark: training throughput and kernel FLOP rates side by side in one run
/// (docs/performance.md says how to read and reproduce every number).
@main
struct PSNBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "psn-bench",
    abstract: "Measure psn's training throughput and kernel speed on Fashion-MNIST.",
    discussion: """
      Without a mode flag: training samples/s of 784-300-100-10 at dense, static 90% and 99%, \
      RigL 90% and static 90% with statistics collection, side by side (alternating rounds, \
      best of each), then the GFLOP/s of the dense and sparse kernels of the 784→300 layer.
      """)

  @Option(help: "Threads for the kernels (2-thread numbers need a quiet machine).")
  var threads = 1
  @Option(help: "Alternating measuring rounds per configuration (the best is kept).")
  var rounds = 3
  @Option(help: "Training steps per round.")
  var steps = 400
  @Option(help: "Hidden layer widths, comma-separated.")
  var hidden = "300,100"
  @Option(help: "Samples per batch.")
  var batch = 128

  @Flag(help: "Per-phase, per-layer time breakdown of training steps.")
  var profile = false
  @Flag(help: "Only the kernel GFLOP/s table (dense, 10% and 1% dense, the first layer's shape).")
  var kernels = false
  @Flag(help: "With --kernels or --profile and 1 thread: time by the thread's CPU time (for a busy machine).")
  var cpuTime = false
  @Option(help: "With --kernels: draw the sparse connections from only the first N inputs, so their source rows stay in L1 (64 rows are 32 KiB at batch 128): what the kernels reach without L2 traffic. Backward-input is not measured then.")
  var residentSources: Int?
  @Flag(help: "Throughput over sparsity (0 … 0.999) for hidden 300,100 and 1000,1000.")
  var sweep = false
  @Option(help: "Train one configuration (\(TrainingBenchmark.Configuration.names.joined(separator: ", "))) from scratch and print a JSON result line.")
  var train: String?
  @Option(help: "Seed of the --train run (masks, initialisation, data order).")
  var seed: UInt64 = 1
  @Option(help: "Epochs of the --train run.")
  var epochs = 3
  @Flag(help: "Print JSON instead of tables.")
  var json = false

  func validate() throws {
    guard threads >= 1, rounds >= 1, steps >= 1, batch >= 1, epochs >= 1 else {
      throw ValidationError("--threads, --rounds, --steps, --batch and --epochs must be at least 1")
    }
    if let train, TrainingBenchmark.Configuration.named(train) == nil {
      throw ValidationError("unknown configuration '\(train)' (should be one of \(TrainingBenchmark.Configuration.names.joined(separator: ", ")))")
    }
    let sizes = try widths(hidden)
    if let residentSources {
      guard kernels else { throw ValidationError("--resident-sources goes with --kernels") }
      guard (1...sizes[0]).contains(residentSources) else {
        throw ValidationError("--resident-sources must be between 1 and the input width (\(sizes[0]))")
      }
    }
  }

  func widths(_ text: String) throws -> [Int] {
    let h = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard !h.isEmpty, h.allSatisfy({ ($0 ?? 0) > 0 }) else {
      throw ValidationError("--hidden must be positive widths separated by commas, e.g. 300,100")
    }
    return [784] + h.map { $0! } + [10]
  }

  func run() throws {
    let data = try DataLoader.load(DataRequest(.fashion))
    let sizes = try widths(hidden)
    let bench = TrainingBenchmark(sizes: sizes, batchSize: batch, threads: threads, steps: steps)
    let report = Report(json: json)
    if let name = train {
      let result = try bench.train(.named(name)!, data: data, seed: seed, epochs: epochs)
      report.printJSON(result)
    } else if kernels {
      report.header(bench, data: data, what: "kernel speed")
      let bench = KernelBenchmark(nIn: sizes[0], nOut: sizes[1], batch: batch, threads: threads, cpuTime: cpuTime, residentSources: residentSources)
      report.kernels(bench.run(densities: [1, 0.1, 0.01]))
      if let residentSources {
        print("Sparse connections drawn from the first \(residentSources) inputs only (\(residentSources * batch * 4 / 1024) KiB of sources); each row keeps its fan-in up to \(residentSources).")
      }
    } else if profile {
      report.header(bench, data: data, what: "per-phase time of \(steps) training steps")
      for name in ["dense", "static90", "static99", "rigl90", "stats90"] {
        let c = TrainingBenchmark.Configuration.named(name)!
        report.profile(name: name, try bench.profile(c, data: data, cpuTime: cpuTime))
      }
    } else if sweep {
      report.header(bench, data: data, what: "throughput over sparsity and width")
      for hidden in ["300,100", "1000,1000"] {
        var b = bench
        b.sizes = try widths(hidden)
        let configurations = [0, 0.5, 0.8, 0.9, 0.95, 0.99, 0.999].map {
          TrainingBenchmark.Configuration(name: String(format: "%g", $0 * 100) + "%", sparsity: $0)
        }
        report.sweep(sizes: b.sizes, try b.throughput(configurations, data: data, rounds: rounds))
      }
    } else {
      report.header(bench, data: data, what: "training throughput and kernel speed")
      let names = ["dense", "static90", "static99", "rigl90", "stats90"]
      let results = try bench.throughput(names.map { .named($0)! }, data: data, rounds: rounds)
      // Kernels by this thread's CPU time when on 1 thread: the table that matters for the
      // FLOP-rate check should not move with the neighbours' load.
      let kernels = KernelBenchmark(nIn: sizes[0], nOut: sizes[1], batch: batch, threads: threads, cpuTime: threads == 1)
        .run(densities: [1, 0.1, 0.01])
      report.foundation(results, kernels: kernels)
    }
  }
}
