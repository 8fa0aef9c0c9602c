/// Why a workspace could not be saved or opened. `description` is the full user-facing message,
/// naming the file (or the directory) and what is wrong, with the fix in parentheses.
public struct WorkspaceArchiveError: Error, CustomStringConvertible, Equatable, Sendable {
  public enum Problem: Equatable, Sendable {
    /// open: the directory holds no manifest.json (it is not a save, or not psn's).
    case notAWorkspace
    /// open: manifest.json names another format.
    case foreignFormat(found: String)
    /// open: the save is in a format version this psn cannot read.
    case unsupportedVersion(found: Int, savedBy: String)
    /// open: a JSON file does not decode; `detail` says where and what.
    case malformedJSON(detail: String)
    /// open: a file decodes but contradicts itself or another file (a CSR mask out of order, a
    /// run whose model is missing, optimizer moments that do not fit the model, ...).
    case inconsistent(String)
    /// open: a file the manifest names cannot be read (missing, unreadable).
    case cannotRead(reason: String)
    /// A safetensors file is damaged or lacks a tensor; the inner error names the file.
    case tensors(SafeTensorsError)
    /// The atomic save or the recovery of an interrupted one failed; the inner error says whether
    /// the previous save is intact.
    case storage(AtomicDirectoryError)
    /// save: the snapshot itself is inconsistent, so its save could not be opened again.
    case cannotSave(String)
    /// save: the target is an existing directory that is not a psn save.
    case wouldReplaceForeignDirectory
    /// save: writing into the staging directory failed (nothing was replaced).
    case cannotWrite(reason: String)
  }

  /// The file the problem is in, or the workspace directory.
  public let file: String
  public let problem: Problem

  public init(file: String, problem: Problem) {
    self.file = file
    self.problem = problem
  }

  public var description: String {
    let damaged = "the save is damaged or was edited by hand; restore it or save again"
    switch problem {
    case .notAWorkspace:
      return "not a psn workspace: \(file) has no manifest.json (save one with `save \(file)`)"
    case .foreignFormat(let found):
      return
        "\(file): not a psn workspace manifest: its format is '\(found)', expected '\(WorkspaceArchive.format)' (open a directory written by `save`)"
    case .unsupportedVersion(let found, let savedBy):
      return
        "\(file): workspace format version \(found) (saved by psn \(savedBy)); this psn \(PSNVersion.current) reads version \(WorkspaceArchive.version) (open it with the psn that saved it)"
    case .malformedJSON(let detail): return "\(file): malformed JSON: \(detail) (\(damaged))"
    case .inconsistent(let what): return "\(file): \(what) (\(damaged))"
    case .cannotRead(let reason): return "\(file): cannot read: \(reason) (\(damaged))"
    case .tensors(let error): return error.description
    case .storage(let error): return error.description
    case .cannotSave(let what):
      return "\(file): cannot save: \(what) (fix or remove that object, then save again)"
    case .wouldReplaceForeignDirectory:
      return
        "\(file): exists and is not a psn workspace (it has files but no manifest.json); save replaces the whole directory, so it refuses (choose a new directory name)"
    case .cannotWrite(let reason):
      return
        "\(file): save failed: \(reason) (check free space and permissions; the previous save is unchanged)"
    }
  }
}
