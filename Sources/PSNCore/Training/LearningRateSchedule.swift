import Foundation

/// How the learning rate moves over training. η(t) for global step t of T total steps.
public enum LearningRateSchedule: Sendable, Equatable, Codable {
  /// η(t) = η₀.
  case constant
  /// η(t) = η₀ · ½ (1 + cos(π t / T)): from η₀ at the first step towards 0 at the end.
  case cosine
  /// η(t) = η₀ · γ^⌊epoch / every⌋, the epoch being ⌊t / stepsPerEpoch⌋.
  case step(everyEpochs: Int, gamma: Double)

  public func rate(base: Double, step t: Int, totalSteps: Int, stepsPerEpoch: Int) -> Double {
    switch self {
    case .constant:
      return base
    case .cosine:
      let x = Double(min(t, totalSteps)) / Double(max(totalSteps, 1))
      return base * 0.5 * (1 + Foundation.cos(Double.pi * x))
    case .step(let every, let gamma):
      let epoch = t / max(stepsPerEpoch, 1)
      return base * Foundation.pow(gamma, Double(epoch / max(every, 1)))
    }
  }

  /// The name used in the shell and in saved runs.
  public var name: String {
    switch self {
    case .constant: return "constant"
    case .cosine: return "cosine"
    case .step: return "step"
    }
  }
}
