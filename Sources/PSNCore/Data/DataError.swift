/// Why a dataset could not be loaded. `description` is the whole user-facing message, in psn's
/// `where: what (fix)` form, so the shell prints it as is (prefixed with its own script location).
///
/// The cases separate what the user must do about it: files that are absent (install or point at
/// them), files that are there but damaged (download again), and request values out of range.
public enum DataError: Error, Equatable, Sendable, CustomStringConvertible {
  /// No searched directory holds the complete set of files `dataset` needs.
  case missingFiles(dataset: String, files: [String], searched: [SearchedPlace], fix: String)
  /// A file exists but cannot be read (permissions, a directory, an I/O error).
  case unreadable(file: String, reason: String)
  /// A file's content is not what it should be: bad gzip stream, bad IDX header, truncated data,
  /// trailing bytes, labels out of range.
  case corrupt(file: String, problem: String)
  /// One line of a text file is malformed (covtype). `line` counts from 1.
  case badLine(file: String, line: Int, problem: String)
  /// Files that must agree do not (image and label counts, train and test image sizes).
  case mismatch(files: [String], problem: String)
  /// A request value is out of its allowed range; `expected` says what would be accepted.
  case badParameter(name: String, value: String, expected: String)

  /// One directory that was searched for a dataset's files, and what was wrong with it.
  public struct SearchedPlace: Equatable, Sendable {
    public var directory: String
    /// Why it did not count: "no such directory", or "missing a.gz, b.gz".
    public var verdict: String
    /// Why it was searched: "dir=", "$PSN_DATA", "Debian package dataset-fashion-mnist".
    public var reason: String
    public init(directory: String, verdict: String, reason: String) {
      self.directory = directory
      self.verdict = verdict
      self.reason = reason
    }
  }

  public var description: String {
    switch self {
    case .missingFiles(let dataset, let files, let searched, let fix):
      var lines = ["\(dataset): data files not found; expected \(files.joined(separator: ", "))"]
      if searched.isEmpty {
        lines.append("  searched nowhere: no dir= given and PSN_DATA is not set")
      }
      for place in searched {
        lines.append("  searched \(place.directory) (\(place.reason)): \(place.verdict)")
      }
      lines.append("  (\(fix))")
      return lines.joined(separator: "\n")
    case .unreadable(let file, let reason):
      return "\(file): cannot read: \(reason) (check the path and its permissions)"
    case .corrupt(let file, let problem):
      return "\(file): \(problem) (the file is damaged or not the expected data; download it again)"
    case .badLine(let file, let line, let problem):
      return
        "\(file):\(line): \(problem) (the file is damaged or not the expected data; download it again)"
    case .mismatch(let files, let problem):
      return
        "\(files.joined(separator: ", ")): \(problem) (these files do not belong together; download the set again)"
    case .badParameter(let name, let value, let expected):
      return "\(name)=\(value): out of range (should be \(expected))"
    }
  }
}
