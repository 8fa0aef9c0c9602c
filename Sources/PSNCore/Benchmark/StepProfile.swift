import Foundation

/// Where training time goes: seconds per phase of the step and per layer, summed over the steps
/// taken while a `Trainer` has this profile attached (`trainer.profile`).
///
/// Timing reads a clock between phases, a dozen times per step; a trainer without a profile
/// reads none. The wall clock costs ~25 ns a read; the calling thread's CPU clock (`cpuTime`,
/// for 1-thread runs on a busy machine: time the scheduler gives to other processes is not
/// charged to whichever phase was running) ~0.3 µs, about 1% of a 99%-sparse step.
public final class StepProfile {
  /// The phases of one step, in the order the trainer runs them.
  public enum Phase: String, CaseIterable, Sendable {
    /// Copying the batch's samples into the feature-major input buffer.
    case gather
    /// Z = W·A + b and the hidden layers' ReLU.
    case forward
    /// Softmax cross-entropy and dZ of the logits.
    case loss
    /// dW (active positions, or dense GEMM) and db.
    case weightGradient = "weight-gradient"
    /// dA = Wᵀ·dZ and the ReLU mask of the layer below.
    case inputGradient = "input-gradient"
    /// Per-neuron gradient norms and activity for the analysis window.
    case statistics
    /// The optimizer step over every layer.
    case optimizer
    /// RigL/SET: dense gradient, drop/grow selection, new masks (update steps only).
    case maskUpdate = "mask-update"
  }

  /// One row of the breakdown: a phase, the layer it ran on (nil for whole-network phases).
  public struct Entry: Sendable, Equatable {
    public var phase: Phase
    public var layer: Int?
    public var seconds: Double
  }

  let layerCount: Int
  /// seconds[phase.index * (layerCount + 1) + (layer ?? layerCount)].
  private var seconds: [Double]
  public private(set) var steps = 0
  public private(set) var samples = 0
  /// Read this thread's CPU time instead of the wall clock (meaningful with 1 kernel thread).
  public let cpuTime: Bool

  public init(layerCount: Int, cpuTime: Bool = false) {
    self.cpuTime = cpuTime
    self.layerCount = layerCount
    seconds = [Double](repeating: 0, count: Phase.allCases.count * (layerCount + 1))
  }

  func add(_ phase: Phase, layer: Int?, _ duration: Double) {
    let p = Phase.allCases.firstIndex(of: phase)!
    seconds[p * (layerCount + 1) + (layer ?? layerCount)] += duration
  }

  /// Now, in seconds, on this profile's clock.
  func now() -> Double {
    var t = timespec()
    clock_gettime(cpuTime ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
  }

  func countStep(samples b: Int) {
    steps += 1
    samples += b
  }

  /// Every (phase, layer) that took any time, in step order.
  public var entries: [Entry] {
    Phase.allCases.enumerated().flatMap { p, phase in
      (0...layerCount).compactMap { l -> Entry? in
        let s = seconds[p * (layerCount + 1) + l]
        return s > 0 ? Entry(phase: phase, layer: l < layerCount ? l : nil, seconds: s) : nil
      }
    }
  }

  public var totalSeconds: Double { seconds.reduce(0, +) }

  /// Clears the sums (e.g. after warm-up steps).
  public func reset() {
    for i in seconds.indices { seconds[i] = 0 }
    steps = 0
    samples = 0
  }
}

/// Reads the clock between phases of one step when a profile is attached; does nothing otherwise.
struct PhaseTimer {
  let profile: StepProfile?
  private var last: Double

  init(_ profile: StepProfile?) {
    self.profile = profile
    last = profile?.now() ?? 0
  }

  /// Charges the time since the previous mark to `phase` (on `layer`).
  @inline(__always)
  mutating func mark(_ phase: StepProfile.Phase, layer: Int? = nil) {
    guard let profile else { return }
    let now = profile.now()
    profile.add(phase, layer: layer, now - last)
    last = now
  }
}
