import Foundation
import PSNCore

/// Converting the session's workspace to the archive's snapshot and back (docs/workspace.md).
/// Datasets are saved as the request that loaded them plus a fingerprint, and loaded again on
/// open; everything else is saved whole.
extension Workspace {
  /// Keys of a model entry's metadata.
  private enum ModelKey {
    static let profileDescription = "profile_description"
    static let profileName = "profile_name"
    static let profileSpec = "profile_spec"
    static let lastRun = "last_run"
  }

  public func snapshot() throws -> WorkspaceSnapshot {
    var s = WorkspaceSnapshot(variables: variables)
    for (kind, name) in current { s.current[kind.rawValue] = name }
    for name in names {
      switch objects[name]! {
      case .dataset(let d):
        s.datasets.append(.init(name: name, request: d.request, dataset: d.data))
      case .profile(let p):
        s.profiles.append(.init(name: name, profile: p.profile, sizes: p.sizes, description: p.description))
      case .model(let m):
        var metadata: [String: String] = [:]
        metadata[ModelKey.profileDescription] = m.profileDescription
        metadata[ModelKey.profileName] = m.profileName
        metadata[ModelKey.lastRun] = m.lastRun
        if let spec = m.profile {
          let encoder = JSONEncoder()
          encoder.outputFormatting = [.sortedKeys]  // the same bytes on every save
          metadata[ModelKey.profileSpec] = String(decoding: try encoder.encode(spec), as: UTF8.self)
        }
        s.models.append(.init(name: name, model: m.model, datasetName: m.datasetName, seed: m.seed, metadata: metadata))
      case .run(var r):
        // Only a run that can still continue keeps what resuming needs: the moments of one
        // that finished, or whose model another run or profile has changed since, would not fit
        // the model as saved (and `resume` refuses it anyway).
        if r.isFinished || objects[r.modelName]?.model?.lastRun != name {
          r.state = r.state.withoutResumeState()
        }
        s.runs.append(r)
      }
    }
    return s
  }

  /// The workspace a snapshot describes; each dataset is loaded again and checked against its
  /// fingerprint (a changed or missing file is an error naming it).
  public init(_ s: WorkspaceSnapshot, environment: [String: String]) throws {
    self.init()
    for d in s.datasets {
      try put(.dataset(DatasetObject(request: d.request, data: try d.reload(environment: environment))), as: d.name)
    }
    for p in s.profiles {
      try put(.profile(ProfileObject(profile: p.profile, sizes: p.sizes, description: p.description)), as: p.name)
    }
    for m in s.models {
      let spec = try m.metadata[ModelKey.profileSpec].map {
        try JSONDecoder().decode(NetworkProfileSpec.self, from: Data($0.utf8))
      }
      // The views trust a model's last run to describe it (its hubs, its receptive fields):
      // only a run of this model whose records fit it keeps the link.
      let lastRun = m.metadata[ModelKey.lastRun].flatMap { name in
        s.runs.first { $0.name == name && $0.modelName == m.name && $0.state.fits(m.model) }?.name
      }
      try put(.model(ModelObject(
        model: m.model, seed: m.seed, datasetName: m.datasetName,
        profileDescription: m.metadata[ModelKey.profileDescription], profileName: m.metadata[ModelKey.profileName],
        profile: spec, lastRun: lastRun)), as: m.name)
    }
    for r in s.runs { try put(.run(r), as: r.name) }
    current = [:]
    for (kind, name) in s.current {
      if let k = ObjectKind(rawValue: kind), objects[name]?.kind == k { current[k] = name }
    }
    variables = s.variables
  }
}
