/// Where training time goes: wall-clock seconds per phase of the step and per layer, summed over
/// the steps taken while a `Trainer` has this profile attached (`trainer.profile`).
///
/// Timing reads the clock between phases (~25 ns each, a dozen times per step), so an attached
/// profile costs well under 1% even of a 99%-sparse step; a trainer without one reads no clock.
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

  public init(layerCount: Int) {
    self.layerCount = layerCount
    seconds = [Double](repeating: 0, count: Phase.allCases.count * (layerCount + 1))
  }

  func add(_ phase: Phase, layer: Int?, _ duration: Duration) {
    let p = Phase.allCases.firstIndex(of: phase)!
    seconds[p * (layerCount + 1) + (layer ?? layerCount)] += duration.seconds
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
  private var last: ContinuousClock.Instant?

  init(_ profile: StepProfile?) {
    self.profile = profile
    last = profile == nil ? nil : ContinuousClock.now
  }

  /// Charges the time since the previous mark to `phase` (on `layer`).
  @inline(__always)
  mutating func mark(_ phase: StepProfile.Phase, layer: Int? = nil) {
    guard let profile, let last else { return }
    let now = ContinuousClock.now
    profile.add(phase, layer: layer, now - last)
    self.last = now
  }
}
