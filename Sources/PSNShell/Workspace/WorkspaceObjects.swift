import PSNCore

/// A loaded dataset and the request that loaded it (so a saved workspace can load it again).
public struct DatasetObject: Sendable {
  public var request: DataRequest
  public var data: Dataset
}

/// A built network profile: the masks a `profile` command made for a given architecture.
public struct ProfileObject: Sendable {
  public var profile: NetworkProfile
  /// Layer widths the masks were built for, input first.
  public var sizes: [Int]
  /// The profile as a user would write it: `lognormal cv=1.5 sparsity=0.9`.
  public var description: String
}

/// A model: the network (weights and masks) and where it came from.
public struct ModelObject: Sendable {
  public var model: MLP
  /// The seed its weights were initialised from.
  public var seed: UInt64
  /// The dataset it was built for (its input and output widths come from it).
  public var datasetName: String?
  /// The profile its masks started from, as written (nil when dense); RigL and SET move the masks
  /// on from there (the model's `lastRun` says which run did).
  public var profileDescription: String?
  public var profileName: String?
  public var profile: NetworkProfileSpec?
  /// The run that last trained it.
  public var lastRun: String?
}

/// Anything the workspace can hold under a name.
public enum WorkspaceObject: Sendable {
  case dataset(DatasetObject)
  case profile(ProfileObject)
  case model(ModelObject)
  case run(TrainingRun)

  public var kind: ObjectKind {
    switch self {
    case .dataset: .dataset
    case .profile: .profile
    case .model: .model
    case .run: .run
    }
  }

  public var dataset: DatasetObject? { if case .dataset(let d) = self { d } else { nil } }
  public var profile: ProfileObject? { if case .profile(let p) = self { p } else { nil } }
  public var model: ModelObject? { if case .model(let m) = self { m } else { nil } }
  public var run: TrainingRun? { if case .run(let r) = self { r } else { nil } }
}
