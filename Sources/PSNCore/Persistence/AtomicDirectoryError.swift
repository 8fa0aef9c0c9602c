/// Why a directory save or open failed. `description` is the full user-facing message,
/// `directory: what (fix)`.
public struct AtomicDirectoryError: Error, CustomStringConvertible, Equatable, Sendable {
  public enum Problem: Equatable, Sendable {
    /// Nothing is saved at the path (and no interrupted save can be recovered).
    case notFound
    /// The path exists but is a file.
    case notADirectory
    /// A file-system call failed; `reason` names the call, the path and errno's text.
    /// `previousSaveIntact` says whether the last complete save is still where it was.
    case failed(reason: String, previousSaveIntact: Bool)
  }

  public let directory: String
  public let problem: Problem

  public init(directory: String, problem: Problem) {
    self.directory = directory
    self.problem = problem
  }

  public var description: String {
    switch problem {
    case .notFound:
      return "\(directory): no saved workspace here (check the path, or save one first)"
    case .notADirectory:
      return
        "\(directory): exists but is not a directory (choose another name, or move the file away)"
    case .failed(let reason, true):
      return
        "\(directory): save failed: \(reason) (check free space and permissions; the previous save is unchanged)"
    case .failed(let reason, false):
      return
        "\(directory): \(reason) (check free space and permissions, then open or save again to finish the interrupted save)"
    }
  }
}
