/// A number read off each run for tables and comparisons: a final metric of the run, or a
/// final-model quantity of one layer.
///
/// Spelled as the database column: `test_accuracy` (the default), `val_loss`, `wall_seconds`, …,
/// and for a layer `COLUMN@L` with L 1-based: `gradient_concentration@1`, `fanin_cv@2`,
/// `lognormal_sigma@1`.
public struct RunMetric: Sendable, Hashable, CustomStringConvertible {
  public enum Quantity: String, CaseIterable, Sendable {
    case trainLoss = "train_loss"
    case trainAccuracy = "train_accuracy"
    case validationLoss = "val_loss"
    case validationAccuracy = "val_accuracy"
    case testLoss = "test_loss"
    case testAccuracy = "test_accuracy"
    case wallSeconds = "wall_seconds"
    case samplesPerSecond = "samples_per_second"
    case sparsity
    case fanInCV = "fanin_cv"
    case fanInGini = "fanin_gini"
    case lognormalSigma = "lognormal_sigma"
    case gradientConcentration = "gradient_concentration"
    case fanInGradientR = "fanin_gradient_r"

    /// Whether the quantity belongs to a layer (and needs `@L`).
    public var isPerLayer: Bool {
      switch self {
      case .fanInCV, .fanInGini, .lognormalSigma, .gradientConcentration, .fanInGradientR: return true
      default: return false
      }
    }
  }

  public var quantity: Quantity
  /// 1-based layer for per-layer quantities, nil otherwise.
  public var layer: Int?

  public static let testAccuracy = RunMetric(quantity: .testAccuracy, layer: nil)

  public init(quantity: Quantity, layer: Int? = nil) {
    self.quantity = quantity
    self.layer = layer
  }

  /// Reads `test_accuracy` or `gradient_concentration@1`.
  public init(parsing text: String) throws(ResultsError) {
    let parts = text.split(separator: "@", omittingEmptySubsequences: false).map(String.init)
    let names = Quantity.allCases.map { $0.isPerLayer ? $0.rawValue + "@L" : $0.rawValue }
    func unknown() -> ResultsError {
      .unknownMetric(
        name: text, suggestion: Spelling.closestMatch(to: parts[0], among: Quantity.allCases.map(\.rawValue)),
        known: names)
    }
    guard parts.count <= 2, let quantity = Quantity(rawValue: parts[0]) else { throw unknown() }
    if quantity.isPerLayer {
      guard parts.count == 2, let l = Int(parts[1]), l >= 1 else {
        throw .unknownMetric(name: text, suggestion: "\(quantity.rawValue)@1", known: names)
      }
      self.init(quantity: quantity, layer: l)
    } else {
      guard parts.count == 1 else { throw .unknownMetric(name: text, suggestion: quantity.rawValue, known: names) }
      self.init(quantity: quantity)
    }
  }

  public var description: String { layer.map { "\(quantity.rawValue)@\($0)" } ?? quantity.rawValue }

  /// The metric's value for `run`; nil when it has none (no test set, no such layer, no neuron
  /// statistics). Per-layer metrics need the run's `.layers` details.
  public func value(of run: RunRecord) -> Double? {
    let m = run.final
    let v: Double?
    switch quantity {
    case .trainLoss: v = m.trainLoss
    case .trainAccuracy: v = m.trainAccuracy
    case .validationLoss: v = m.validationLoss
    case .validationAccuracy: v = m.validationAccuracy
    case .testLoss: v = m.testLoss
    case .testAccuracy: v = m.testAccuracy
    case .wallSeconds: v = run.wallSeconds
    case .samplesPerSecond: v = run.samplesPerSecond
    case .sparsity: v = run.sparsity
    case .fanInCV, .fanInGini, .lognormalSigma, .gradientConcentration, .fanInGradientR:
      guard let layer = run.layers.first(where: { $0.layer == self.layer }) else { return nil }
      switch quantity {
      case .fanInCV: v = layer.fanInCV
      case .fanInGini: v = layer.fanInGini
      case .lognormalSigma: v = layer.lognormalSigma
      case .gradientConcentration: v = layer.gradientConcentration
      default: v = layer.fanInGradientR
      }
    }
    return v.finiteOrNil
  }

  /// The details a query must load for this metric.
  public var details: RunDetails { quantity.isPerLayer ? .layers : [] }
}
