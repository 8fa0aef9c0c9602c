import Foundation

/// Whether a stored run trained all its epochs.
public enum RunStatus: String, CaseIterable, Sendable, Codable {
  case finished
  /// Stopped early (Ctrl-C); its metrics are those of the last completed epoch.
  case interrupted
}

/// One run as the results database stores it (docs/results.md): flat, self-contained and
/// independent of the workspace — what was trained, how, and the numbers it produced.
///
/// A record is built from a `TrainingRun` and its final `MLP` (`init(run:model:…)`), or read back
/// from a database. Reading returns exactly what was written: every `Double` is stored as an
/// IEEE double, dates are kept to the millisecond (the record rounds them when built), and a
/// non-finite metric is stored as NULL (the record holds nil).
public struct RunRecord: Sendable, Equatable {
  /// The run's identity across databases: merges skip a uuid the target already has.
  public var uuid: UUID
  public var name: String
  public var method: TrainingMethod
  public var dataset: String
  /// The workspace name of the model the run trained.
  public var model: String
  /// Layer widths, input first.
  public var sizes: [Int]
  /// Stored parameters (active weights and biases).
  public var parameters: Int
  /// Fraction of zero weights over the sparse layers (`MLP.sparsity`), at the end of the run.
  public var sparsity: Double
  /// The starting masks as the user wrote them (`lognormal cv=1.5 sparsity=0.9`); nil when dense.
  public var profile: String?
  /// The `NetworkProfileSpec` the masks came from, as JSON; nil when unknown.
  public var profileSpecJSON: String?
  public var seed: UInt64
  /// The `TrainingConfig`, as JSON with sorted keys.
  public var configJSON: String
  public var status: RunStatus
  public var psnVersion: String
  /// Kept at whole milliseconds, as stored (set values are rounded).
  public var startedAt: Date { didSet { startedAt = ResultsTimestamp.rounded(startedAt) } }
  /// When the record was written; whole milliseconds.
  public var recordedAt: Date { didSet { recordedAt = ResultsTimestamp.rounded(recordedAt) } }
  public var wallSeconds: Double
  public var epochsPlanned: Int
  public var epochsDone: Int
  /// Optimizer steps taken.
  public var steps: Int
  /// Metrics of the last completed epoch (all nil when no epoch completed).
  public var final: Metrics
  /// Training throughput over the whole run: Σ samples / Σ training seconds over the epochs.
  public var samplesPerSecond: Double?
  /// Sweep keys and other labels (`seed`, `cv`, `profile`, `sweep`); keys are identifiers.
  public var tags: [String: String]
  /// Per-epoch rows, epoch 1 first. Empty when read without `.epochs` details.
  public var epochs: [Epoch]
  /// Per-layer rows of the final model, layer 1 first. Empty when read without `.layers`.
  public var layers: [Layer]
  /// RigL/SET: one row per mask update and sparse layer, update 0 (the starting masks) first.
  /// Empty for static runs, or when read without `.maskUpdates`.
  public var maskUpdates: [MaskUpdate]

  public init(
    uuid: UUID = UUID(), name: String, method: TrainingMethod, dataset: String, model: String,
    sizes: [Int], parameters: Int, sparsity: Double, profile: String? = nil,
    profileSpecJSON: String? = nil, seed: UInt64, configJSON: String, status: RunStatus,
    psnVersion: String = PSNVersion.current, startedAt: Date, recordedAt: Date,
    wallSeconds: Double, epochsPlanned: Int, epochsDone: Int, steps: Int, final: Metrics,
    samplesPerSecond: Double?, tags: [String: String] = [:], epochs: [Epoch] = [],
    layers: [Layer] = [], maskUpdates: [MaskUpdate] = []
  ) {
    self.uuid = uuid
    self.name = name
    self.method = method
    self.dataset = dataset
    self.model = model
    self.sizes = sizes
    self.parameters = parameters
    self.sparsity = sparsity
    self.profile = profile
    self.profileSpecJSON = profileSpecJSON
    self.seed = seed
    self.configJSON = configJSON
    self.status = status
    self.psnVersion = psnVersion
    self.startedAt = ResultsTimestamp.rounded(startedAt)
    self.recordedAt = ResultsTimestamp.rounded(recordedAt)
    self.wallSeconds = wallSeconds
    self.epochsPlanned = epochsPlanned
    self.epochsDone = epochsDone
    self.steps = steps
    self.final = final
    self.samplesPerSecond = samplesPerSecond
    self.tags = tags
    self.epochs = epochs
    self.layers = layers
    self.maskUpdates = maskUpdates
  }

  /// The configuration the run trained with.
  public func config() throws -> TrainingConfig {
    try JSONDecoder().decode(TrainingConfig.self, from: Data(configJSON.utf8))
  }

  /// Sizes written as in the docs: `784-300-100-10`.
  public var sizesDescription: String { sizes.map(String.init).joined(separator: "-") }
}

extension RunRecord {
  /// Loss (mean cross-entropy, natural log) and accuracy on the training, validation and test
  /// sets; nil where the set is absent or the value was not finite.
  public struct Metrics: Sendable, Equatable {
    public var trainLoss: Double?
    public var trainAccuracy: Double?
    public var validationLoss: Double?
    public var validationAccuracy: Double?
    public var testLoss: Double?
    public var testAccuracy: Double?

    public init(
      trainLoss: Double? = nil, trainAccuracy: Double? = nil, validationLoss: Double? = nil,
      validationAccuracy: Double? = nil, testLoss: Double? = nil, testAccuracy: Double? = nil
    ) {
      self.trainLoss = trainLoss.finiteOrNil
      self.trainAccuracy = trainAccuracy.finiteOrNil
      self.validationLoss = validationLoss.finiteOrNil
      self.validationAccuracy = validationAccuracy.finiteOrNil
      self.testLoss = testLoss.finiteOrNil
      self.testAccuracy = testAccuracy.finiteOrNil
    }
  }

  /// One completed epoch.
  public struct Epoch: Sendable, Equatable {
    /// 1-based.
    public var epoch: Int
    /// Training loss/accuracy are the means over the epoch's batches, as seen while training.
    public var metrics: Metrics
    /// Learning rate of the epoch's last step.
    public var learningRate: Double
    /// Wall time of the training steps (evaluation excluded).
    public var seconds: Double
    public var samplesPerSecond: Double

    public init(epoch: Int, metrics: Metrics, learningRate: Double, seconds: Double, samplesPerSecond: Double) {
      self.epoch = epoch
      self.metrics = metrics
      self.learningRate = learningRate
      self.seconds = seconds
      self.samplesPerSecond = samplesPerSecond
    }
  }

  /// One layer of the final model: its fan-in summary (FanInStatistics, docs/profiles.md) and,
  /// when the run gathered neuron statistics, its gradient hierarchy (docs/analysis.md).
  public struct Layer: Sendable, Equatable {
    /// 1-based: layer 1 maps the input to the first hidden layer.
    public var layer: Int
    public var nIn: Int
    public var nOut: Int
    public var isSparse: Bool
    /// Active weights.
    public var weights: Int
    /// weights / (nIn · nOut).
    public var density: Double
    public var fanInMean: Double
    /// Population standard deviation of the fan-ins.
    public var fanInStd: Double
    public var fanInCV: Double
    public var fanInGini: Double
    public var fanInMin: Int
    public var fanInMax: Int
    /// Maximum-likelihood lognormal fit of the positive fan-ins: ln k ~ N(μ, σ²); nil when no
    /// fan-in is positive.
    public var lognormalMu: Double?
    public var lognormalSigma: Double?
    /// The gradient hierarchy: hubs are the top `hubFraction` of neurons by fan-in;
    /// concentration = mean G over hubs / mean G over the layer; r = Pearson(fan-in, G).
    /// All nil without neuron statistics; r is nil when fan-in or G is constant.
    public var hubFraction: Double?
    public var gradientMean: Double?
    public var gradientConcentration: Double?
    public var fanInGradientR: Double?
    /// RigL/SET: whether the layer's fan-in distribution reached equilibrium
    /// (`FanInTrajectory.verdicts`), and the step from which it stayed there; nil for fixed masks.
    public var equilibriumConverged: Bool?
    public var equilibriumStep: Int?

    public init(
      layer: Int, nIn: Int, nOut: Int, isSparse: Bool, weights: Int, density: Double,
      fanInMean: Double, fanInStd: Double, fanInCV: Double, fanInGini: Double, fanInMin: Int,
      fanInMax: Int, lognormalMu: Double? = nil, lognormalSigma: Double? = nil,
      hubFraction: Double? = nil, gradientMean: Double? = nil, gradientConcentration: Double? = nil,
      fanInGradientR: Double? = nil, equilibriumConverged: Bool? = nil, equilibriumStep: Int? = nil
    ) {
      self.layer = layer
      self.nIn = nIn
      self.nOut = nOut
      self.isSparse = isSparse
      self.weights = weights
      self.density = density
      self.fanInMean = fanInMean
      self.fanInStd = fanInStd
      self.fanInCV = fanInCV
      self.fanInGini = fanInGini
      self.fanInMin = fanInMin
      self.fanInMax = fanInMax
      self.lognormalMu = lognormalMu.finiteOrNil
      self.lognormalSigma = lognormalSigma.finiteOrNil
      self.hubFraction = hubFraction.finiteOrNil
      self.gradientMean = gradientMean.finiteOrNil
      self.gradientConcentration = gradientConcentration.finiteOrNil
      self.fanInGradientR = fanInGradientR.finiteOrNil
      self.equilibriumConverged = equilibriumConverged
      self.equilibriumStep = equilibriumStep
    }
  }

  /// What one mask update did to one sparse layer (`FanInTrajectory.Point`, docs/rigl.md).
  public struct MaskUpdate: Sendable, Equatable {
    /// 0 = the starting masks, then 1, 2, … in order.
    public var update: Int
    /// Optimizer steps done at the update.
    public var step: Int
    /// 1-based.
    public var layer: Int
    public var dropFraction: Double
    public var dropped: Int
    public var grown: Int
    public var regrown: Int
    /// |M_new \ M_old| / K.
    public var churn: Double
    public var fanInMean: Double
    public var fanInCV: Double
    public var fanInGini: Double
    public var lognormalMu: Double?
    public var lognormalSigma: Double?
    /// Kolmogorov–Smirnov distance to the previous update's fan-ins; nil at update 0.
    public var ksToPrevious: Double?

    public init(
      update: Int, step: Int, layer: Int, dropFraction: Double, dropped: Int, grown: Int,
      regrown: Int, churn: Double, fanInMean: Double, fanInCV: Double, fanInGini: Double,
      lognormalMu: Double?, lognormalSigma: Double?, ksToPrevious: Double?
    ) {
      self.update = update
      self.step = step
      self.layer = layer
      self.dropFraction = dropFraction
      self.dropped = dropped
      self.grown = grown
      self.regrown = regrown
      self.churn = churn
      self.fanInMean = fanInMean
      self.fanInCV = fanInCV
      self.fanInGini = fanInGini
      self.lognormalMu = lognormalMu.finiteOrNil
      self.lognormalSigma = lognormalSigma.finiteOrNil
      self.ksToPrevious = ksToPrevious.finiteOrNil
    }
  }
}

extension Optional where Wrapped == Double {
  /// The value when it is finite, else nil: SQLite stores NaN as NULL, so the record does too.
  var finiteOrNil: Double? { self.flatMap { $0.isFinite ? $0 : nil } }
}
