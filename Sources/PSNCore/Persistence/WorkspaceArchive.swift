import Foundation

/// Saves a whole workspace to a directory and opens it again, bit for bit (docs/workspace.md).
///
/// ```
/// DIR/manifest.json                 format, version, datasets, object index, current, variables
/// DIR/profiles/FILE.json + .safetensors
/// DIR/models/FILE.json   + .safetensors
/// DIR/runs/FILE.json     + .safetensors
/// ```
/// Saving is atomic (``AtomicDirectory``): the new save is written and synced beside the old
/// one and swapped in by rename, so a crash at any moment leaves the previous save or the new
/// one, never a mixture. Opening validates every file before anything is returned, so a damaged
/// or foreign directory gives an error naming the file, and the caller's workspace stays as it was.
public enum WorkspaceArchive {
  public static let format = "psn-workspace"
  /// The layout version this psn writes and reads.
  public static let version = 1
  static let manifestName = "manifest.json"

  /// The subdirectory and tensor-file format of each kind of object.
  enum Folder: String, CaseIterable {
    case profiles, models, runs
  }

  // MARK: Saving

  /// Writes `snapshot` to `directory`, replacing the save there (if any) atomically.
  ///
  /// Refuses, before writing anything: a snapshot that would not open again (a run whose model
  /// is missing, optimizer state that does not fit its model, duplicate names: see
  /// `checkConsistency`), and an existing non-empty directory that is not a psn save (the save
  /// replaces the whole directory).
  /// `alsoWriting` may add files of its own to the new save (the shell's results database),
  /// given the staging directory; they are synced and swapped in with the rest.
  public static func save(
    _ snapshot: WorkspaceSnapshot, to directory: URL, alsoWriting extra: (URL) throws -> Void = { _ in }
  ) throws(WorkspaceArchiveError) {
    do {
      try save(snapshot, to: directory, afterStep: { _ in }, alsoWriting: extra)
    } catch let error as WorkspaceArchiveError {
      throw error
    } catch {
      throw WorkspaceArchiveError(
        file: directory.standardizedFileURL.path, problem: .cannotWrite(reason: "\(error)"))
    }
  }

  /// ``save(_:to:)`` with ``AtomicDirectory``'s test hook, which may stop the save after any step
  /// as a crash would (its error is rethrown unchanged).
  static func save(
    _ snapshot: WorkspaceSnapshot, to directory: URL,
    afterStep: (AtomicDirectory.Step) throws -> Void, alsoWriting extra: (URL) throws -> Void = { _ in }
  ) throws {
    let path = directory.standardizedFileURL.path
    do {
      try snapshot.checkConsistency()
    } catch {
      throw WorkspaceArchiveError(file: path, problem: .cannotSave(error.message))
    }
    if FileIO.kind(path) == .directory,
      !((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).isEmpty,
      FileIO.kind(path + "/" + manifestName) == .missing
    {
      throw WorkspaceArchiveError(file: path, problem: .wouldReplaceForeignDirectory)
    }
    do {
      // An untyped closure: converting a typed-throws one here crashes Swift 6.3's SIL checker.
      try AtomicDirectory.write(to: directory, afterStep: afterStep) { (staging: URL) throws in
        try write(snapshot, into: staging)
        try extra(staging)
      }
    } catch let error as AtomicDirectoryError {
      throw WorkspaceArchiveError(file: path, problem: .storage(error))
    }
  }

  /// Every file of the save, into the empty directory `root`; the manifest last.
  static func write(_ snapshot: WorkspaceSnapshot, into root: URL) throws(WorkspaceArchiveError) {
    for folder in Folder.allCases {
      do {
        try FileManager.default.createDirectory(
          at: root.appendingPathComponent(folder.rawValue), withIntermediateDirectories: false)
      } catch {
        throw WorkspaceArchiveError(
          file: root.path, problem: .cannotWrite(reason: error.localizedDescription))
      }
    }
    func entries(_ names: [String]) -> [WorkspaceManifest.Entry] {
      zip(names, ArchiveFileName.assign(names)).map { .init(name: $0, file: $1) }
    }
    let profiles = entries(snapshot.profiles.map(\.name))
    let models = entries(snapshot.models.map(\.name))
    let runs = entries(snapshot.runs.map(\.name))
    for (entry, profile) in zip(profiles, snapshot.profiles) {
      let (record, tensors) = ProfileArchive.encode(profile)
      try writeObject(record, tensors, format: ProfileArchive.format, root, .profiles, entry.file)
    }
    for (entry, model) in zip(models, snapshot.models) {
      let (record, tensors) = ModelArchive.encode(model)
      try writeObject(record, tensors, format: ModelArchive.format, root, .models, entry.file)
    }
    for (entry, run) in zip(runs, snapshot.runs) {
      let (record, tensors) = RunArchive.encode(run)
      try writeObject(record, tensors, format: RunArchive.format, root, .runs, entry.file)
    }
    let manifest = WorkspaceManifest(
      format: format, version: version, psnVersion: PSNVersion.current,
      datasets: snapshot.datasets, profiles: profiles, models: models, runs: runs,
      current: snapshot.current, variables: snapshot.variables)
    try writeJSON(manifest, to: root.appendingPathComponent(manifestName))
  }

  private static func writeObject(
    _ record: some Encodable, _ tensors: [String: SafeTensor], format: String, _ root: URL,
    _ folder: Folder, _ file: String
  ) throws(WorkspaceArchiveError) {
    let base = root.appendingPathComponent(folder.rawValue).appendingPathComponent(file)
    try writeJSON(record, to: base.appendingPathExtension("json"))
    let url = base.appendingPathExtension("safetensors")
    do {
      try SafeTensorsFile(
        tensors: tensors,
        metadata: [ArchiveTensors.formatKey: format, "psnVersion": PSNVersion.current]
      ).write(to: url)
    } catch {
      throw WorkspaceArchiveError(file: url.path, problem: .tensors(error))
    }
  }

  private static func writeJSON(_ value: some Encodable, to url: URL) throws(WorkspaceArchiveError)
  {
    do {
      let bytes = Array(try ArchiveJSON.encoder().encode(value)) + [UInt8(ascii: "\n")]
      try FileIO.writeAll(bytes, to: url.path)
    } catch let error as FileIO.Failure {
      throw WorkspaceArchiveError(file: url.path, problem: .cannotWrite(reason: error.reason))
    } catch {
      throw WorkspaceArchiveError(file: url.path, problem: .cannotWrite(reason: "\(error)"))
    }
  }

  // MARK: Opening

  /// Reads the save at `directory` (finishing an interrupted save first, see
  /// ``AtomicDirectory/open(_:)``) and validates all of it; nothing is returned unless every
  /// file is present, well-formed and consistent with the others.
  public static func open(_ directory: URL) throws(WorkspaceArchiveError) -> WorkspaceSnapshot {
    let root: URL
    do {
      root = try AtomicDirectory.open(directory)
    } catch let error as AtomicDirectoryError {
      throw WorkspaceArchiveError(
        file: directory.standardizedFileURL.path, problem: .storage(error))
    } catch {
      throw WorkspaceArchiveError(
        file: directory.standardizedFileURL.path, problem: .cannotRead(reason: "\(error)"))
    }
    let manifestURL = root.appendingPathComponent(manifestName)
    guard FileIO.kind(manifestURL.path) != .missing else {
      throw WorkspaceArchiveError(file: root.path, problem: .notAWorkspace)
    }
    let manifest = try readManifest(manifestURL)

    var snapshot = WorkspaceSnapshot(
      datasets: manifest.datasets, current: manifest.current, variables: manifest.variables)
    for entry in manifest.profiles {
      let (record, tensors, json) = try readObject(
        ProfileArchive.Record.self, root, .profiles, entry, format: ProfileArchive.format)
      snapshot.profiles.append(
        try ProfileArchive.decode(record, tensors, name: entry.name, json: json))
    }
    for entry in manifest.models {
      let (record, tensors, json) = try readObject(
        ModelArchive.Record.self, root, .models, entry, format: ModelArchive.format)
      snapshot.models.append(try ModelArchive.decode(record, tensors, name: entry.name, json: json))
    }
    let models = Dictionary(
      snapshot.models.map { ($0.name, $0.model) }, uniquingKeysWith: { first, _ in first })
    for entry in manifest.runs {
      let (record, tensors, json) = try readObject(
        RunArchive.Record.self, root, .runs, entry, format: RunArchive.format)
      snapshot.runs.append(
        try RunArchive.decode(
          record, tensors, name: entry.name, json: json, model: models[record.modelName]))
    }

    do {
      try snapshot.checkConsistency()
    } catch {
      let file: String
      switch (error.kind, error.name) {
      case (.profile, let name?): file = objectPath(root, .profiles, manifest.profiles, name)
      case (.model, let name?): file = objectPath(root, .models, manifest.models, name)
      case (.run, let name?): file = objectPath(root, .runs, manifest.runs, name)
      default: file = manifestURL.path
      }
      throw WorkspaceArchiveError(file: file, problem: .inconsistent(error.message))
    }
    return snapshot
  }

  /// The manifest, after checking it is psn's, in a version this psn reads, and that its file
  /// names are safe and distinct.
  private static func readManifest(_ url: URL) throws(WorkspaceArchiveError) -> WorkspaceManifest {
    let bytes = try readBytes(url)
    struct LenientIdentity: Decodable {
      var format: String?
      var version: Int?
      var psnVersion: String?
    }
    let identity = try decodeJSON(LenientIdentity.self, bytes, file: url.path)
    guard identity.format == format else {
      throw WorkspaceArchiveError(
        file: url.path, problem: .foreignFormat(found: identity.format ?? "(none)"))
    }
    guard identity.version == version else {
      throw WorkspaceArchiveError(
        file: url.path,
        problem: .unsupportedVersion(
          found: identity.version ?? 0, savedBy: identity.psnVersion ?? "(unknown)"))
    }
    let manifest = try decodeJSON(WorkspaceManifest.self, bytes, file: url.path)
    for (folder, entries) in [
      (Folder.profiles, manifest.profiles), (.models, manifest.models), (.runs, manifest.runs),
    ] {
      var files = Set<String>()
      for entry in entries {
        guard ArchiveFileName.isSafe(entry.file) else {
          throw WorkspaceArchiveError(
            file: url.path,
            problem: .inconsistent(
              "\(folder.rawValue) entry '\(entry.name)' names the file '\(entry.file)', which is not a plain file name"
            ))
        }
        guard files.insert(entry.file.lowercased()).inserted else {
          throw WorkspaceArchiveError(
            file: url.path,
            problem: .inconsistent(
              "two \(folder.rawValue) entries share the file '\(entry.file)'"))
        }
      }
    }
    return manifest
  }

  /// An object's JSON record and its tensors; the path of the JSON file, for later errors.
  private static func readObject<Record: Decodable>(
    _ type: Record.Type, _ root: URL, _ folder: Folder, _ entry: WorkspaceManifest.Entry,
    format: String
  ) throws(WorkspaceArchiveError) -> (Record, ArchiveTensors, String) {
    let base = root.appendingPathComponent(folder.rawValue).appendingPathComponent(entry.file)
    let json = base.appendingPathExtension("json")
    let record = try decodeJSON(Record.self, try readBytes(json), file: json.path)
    let tensors = try ArchiveTensors(
      reading: base.appendingPathExtension("safetensors"), format: format)
    return (record, tensors, json.path)
  }

  private static func objectPath(
    _ root: URL, _ folder: Folder, _ entries: [WorkspaceManifest.Entry], _ name: String
  ) -> String {
    let file = entries.first { $0.name == name }?.file ?? name
    return root.appendingPathComponent(folder.rawValue).appendingPathComponent(file + ".json").path
  }

  private static func readBytes(_ url: URL) throws(WorkspaceArchiveError) -> Data {
    do {
      return Data(try FileIO.readAll(url.path))
    } catch {
      throw WorkspaceArchiveError(file: url.path, problem: .cannotRead(reason: error.reason))
    }
  }

  private static func decodeJSON<T: Decodable>(_ type: T.Type, _ bytes: Data, file: String)
    throws(WorkspaceArchiveError) -> T
  {
    do {
      return try ArchiveJSON.decoder().decode(T.self, from: bytes)
    } catch let error as DecodingError {
      throw WorkspaceArchiveError(
        file: file, problem: .malformedJSON(detail: ArchiveJSON.explain(error, json: bytes)))
    } catch {
      throw WorkspaceArchiveError(file: file, problem: .malformedJSON(detail: "\(error)"))
    }
  }
}
