import Foundation

/// How a run trains its masks.
public enum TrainingMethod: String, CaseIterable, Sendable, Codable {
  /// Every layer dense.
  case dense
  /// Masks fixed for the whole run.
  case `static`
  /// RigL: drop by magnitude, grow by dense-gradient magnitude (docs/rigl.md).
  case rigl
  /// SET: drop by magnitude, grow uniformly at random.
  case set

  /// Whether the masks change during training.
  public var updatesMasks: Bool { self == .rigl || self == .set }
}

/// One training run as the workspace keeps it: what was trained on what, how, and everything the
/// trainer left behind — the full resumable state (optimizer moments, data order, generator,
/// history, mask updates, neuron statistics).
///
/// The model a run trains is a separate workspace object (`modelName`): the run owns the
/// *state* of training, the model owns the weights and masks. Continuing a run needs both.
public struct TrainingRun: Sendable, Equatable {
  /// Identity across workspaces and results databases: a resumed run stored again replaces its
  /// earlier record, and merged shard databases never hold a run twice.
  public var uuid: UUID
  public var name: String
  public var method: TrainingMethod
  public var modelName: String
  public var datasetName: String
  /// How the starting masks were made, as the user would write it (e.g. `lognormal cv=1.5
  /// sparsity=0.9`), for tables and the results database; nil for dense runs.
  public var profileDescription: String?
  /// The network profile the starting masks came from, when known.
  public var profile: NetworkProfileSpec?
  /// Values that group this run in sweeps and tables (`seed`, sweep keys such as `cv`), in the
  /// order they were set.
  public var tags: [String: String]
  public var state: TrainingState
  /// Wall time of every `train`/`resume` call on this run, evaluation included.
  public var wallSeconds: Double
  public var startedAt: Date
  public var psnVersion: String

  public init(
    name: String, method: TrainingMethod, modelName: String, datasetName: String,
    profileDescription: String? = nil, profile: NetworkProfileSpec? = nil,
    tags: [String: String] = [:], state: TrainingState, wallSeconds: Double = 0,
    startedAt: Date = Date(), psnVersion: String = PSNVersion.current, uuid: UUID = UUID()
  ) {
    self.uuid = uuid
    self.name = name
    self.method = method
    self.modelName = modelName
    self.datasetName = datasetName
    self.profileDescription = profileDescription
    self.profile = profile
    self.tags = tags
    self.state = state
    self.wallSeconds = wallSeconds
    self.startedAt = startedAt
    self.psnVersion = psnVersion
  }

  public var isFinished: Bool { state.isFinished }
  public var config: TrainingConfig { state.config }
  /// The last completed epoch's record.
  public var lastEpoch: EpochRecord? { state.history.last }
  public var testAccuracy: Double? { lastEpoch?.test?.accuracy }
  public var testLoss: Double? { lastEpoch?.test?.loss }

  /// Training samples per second over the whole run, evaluation excluded: Σₑ rₑ·tₑ / Σₑ tₑ over
  /// the epochs (rₑ samples/s during tₑ training seconds), i.e. samples over training time; nil
  /// before an epoch has finished.
  public var samplesPerSecond: Double? {
    let seconds = state.history.reduce(0) { $0 + $1.trainSeconds }
    let samples = state.history.reduce(0) { $0 + $1.samplesPerSecond * $1.trainSeconds }
    return seconds > 0 ? samples / seconds : nil
  }
}

/// The version psn reports in saved workspaces and the results database.
public enum PSNVersion {
  public static let current = "0.1.0"
}
