import Foundation

/// Everything a psn workspace holds, as one value: what `save DIR` writes and `open DIR` reads
/// back (``WorkspaceArchive``). Datasets are kept as the request that loads them plus a
/// fingerprint of the data, never the data itself.
///
/// Names are unique within each kind (a dataset and a model may share a name). Entries keep
/// their order. `current` and `variables` are the shell's and are stored as they are.
public struct WorkspaceSnapshot: Sendable, Equatable {
  /// A loaded dataset: how to load it again and what it contained.
  public struct DatasetEntry: Sendable, Equatable, Codable {
    public var name: String
    public var request: DataRequest
    public var fingerprint: DatasetFingerprint

    public init(name: String, request: DataRequest, fingerprint: DatasetFingerprint) {
      self.name = name
      self.request = request
      self.fingerprint = fingerprint
    }

    /// The entry for `dataset`, loaded with `request`.
    public init(name: String, request: DataRequest, dataset: Dataset) {
      self.init(name: name, request: request, fingerprint: DatasetFingerprint(dataset))
    }
  }

  /// A built network profile (spec, masks, per-layer profiles, budget) for the widths `sizes`.
  public struct ProfileEntry: Sendable, Equatable {
    public var name: String
    public var profile: NetworkProfile
    public var sizes: [Int]
    /// The profile as the user wrote it (`lognormal cv=1.5 sparsity=0.9`), for listings.
    public var description: String

    public init(name: String, profile: NetworkProfile, sizes: [Int], description: String = "") {
      self.name = name
      self.profile = profile
      self.sizes = sizes
      self.description = description
    }
  }

  /// A model: architecture, weights and masks (in `model`), and where it came from.
  public struct ModelEntry: Sendable, Equatable {
    public var name: String
    public var model: MLP
    /// The dataset the model was built for, if any.
    public var datasetName: String?
    /// The seed its weights were initialised with.
    public var seed: UInt64
    /// Free-form notes the shell keeps (e.g. the profile description it was built with).
    public var metadata: [String: String]

    public init(
      name: String, model: MLP, datasetName: String? = nil, seed: UInt64,
      metadata: [String: String] = [:]
    ) {
      self.name = name
      self.model = model
      self.datasetName = datasetName
      self.seed = seed
      self.metadata = metadata
    }
  }

  public var datasets: [DatasetEntry]
  public var profiles: [ProfileEntry]
  public var models: [ModelEntry]
  /// Each run's model (`modelName`) must be among `models`.
  public var runs: [TrainingRun]
  /// The current object of each kind, e.g. `["dataset": "fashion", "model": "m1", "run": "run3"]`.
  public var current: [String: String]
  /// Shell variables set with `set`.
  public var variables: [String: String]

  public init(
    datasets: [DatasetEntry] = [], profiles: [ProfileEntry] = [], models: [ModelEntry] = [],
    runs: [TrainingRun] = [], current: [String: String] = [:], variables: [String: String] = [:]
  ) {
    self.datasets = datasets
    self.profiles = profiles
    self.models = models
    self.runs = runs
    self.current = current
    self.variables = variables
  }
}

extension WorkspaceSnapshot.DatasetEntry {
  /// Loads the dataset again and checks it is the data that was saved: what the shell does for
  /// each dataset after `open`, before it replaces its workspace.
  ///
  /// - Throws: `DataError` when the files cannot be loaded, `DatasetFingerprintMismatch` when
  ///   they load but differ from the save.
  public func reload(environment: [String: String] = ProcessInfo.processInfo.environment)
    throws -> Dataset
  {
    let dataset = try DataLoader.load(request, environment: environment)
    try fingerprint.verify(dataset, name: name)
    return dataset
  }
}
