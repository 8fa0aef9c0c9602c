import Testing
import Foundation
@testable import PSNCore

@Suite struct Scratch {
  @Test func profile() throws {
    guard let mode = ProcessInfo.processInfo.environment["PSN_SCRATCH"] else { return }
    let data = try DataLoader.load(DataRequest(.fashion))
    let s = Double(mode) ?? 0.9
    let b = TrainingBenchmark(sizes: [784, 300, 100, 10], threads: Int(ProcessInfo.processInfo.environment["T"] ?? "2")!, steps: 400)
    for r in try b.run([.init(name: "x", sparsity: s)], data: data, rounds: 5) { print(r) }
  }
}
