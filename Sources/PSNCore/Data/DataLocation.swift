/// Where a source's files are looked for, and the search that finds them.
///
/// Order (docs/data.md, "Where files are found"):
/// 1. `dir=DIR` when given — and then only DIR: an explicit directory is never second-guessed.
/// 2. Otherwise `$PSN_DATA/<folder>` (`fashion-mnist`, `mnist`, `emnist`, `covtype`), then
///    `$PSN_DATA` itself — except for Fashion-MNIST, whose file names are MNIST's: a flat
///    `$PSN_DATA` holding MNIST must never be loaded as Fashion-MNIST.
/// 3. For Fashion-MNIST, last, the Debian package's `/usr/share/datasets/fashion-mnist`.
///
/// The first directory that holds every file wins; a directory holding only some of them is
/// reported as such rather than mixed with another.
struct DataLocation {
  /// The dataset's name in messages (`fashion`, `emnist-letters`).
  var dataset: String
  /// File names as distributed (`train-images-idx3-ubyte.gz`). Each may also be present
  /// uncompressed, under its name without `.gz`; the `.gz` is preferred when both exist.
  var files: [String]
  /// Sub-folder of `$PSN_DATA` searched first.
  var folder: String
  /// Whether `$PSN_DATA` itself is searched after `$PSN_DATA/<folder>`.
  var searchDataRoot: Bool = true
  /// A system directory searched last (the Debian package's, for Fashion-MNIST).
  var systemDirectory: (path: String, reason: String)? = nil
  /// What the user can do when nothing is found.
  var fix: String

  /// The directories to search, each with the reason it is searched.
  func candidates(directory: String?, environment: [String: String]) -> [(String, String)] {
    if let directory {
      return [(Self.expandingTilde(directory, environment: environment), "dir=")]
    }
    var result: [(String, String)] = []
    if let root = environment["PSN_DATA"], !root.isEmpty {
      let root = Self.expandingTilde(root, environment: environment)
      result.append((Self.join(root, folder), "PSN_DATA/\(folder)"))
      if searchDataRoot { result.append((root, "PSN_DATA")) }
    }
    if let systemDirectory { result.append(systemDirectory) }
    return result
  }

  /// The full paths of `files`, from the first candidate directory that has all of them.
  func find(directory: String?, environment: [String: String]) throws(DataError) -> [String] {
    var searched: [DataError.SearchedPlace] = []
    for (dir, reason) in candidates(directory: directory, environment: environment) {
      let verdict: String
      switch FileBytes.kind(of: dir) {
      case .directory:
        let paths = files.map { present(in: dir, name: $0) }
        if paths.allSatisfy({ $0 != nil }) { return paths.map { $0! } }
        let missing = zip(files, paths).filter { $0.1 == nil }.map(\.0)
        verdict =
          missing.count == files.count
          ? "none of the files" : "missing \(missing.joined(separator: ", "))"
      case .missing:
        verdict = "no such directory"
      case .file, .other:
        verdict = "not a directory"
      }
      searched.append(.init(directory: dir, verdict: verdict, reason: reason))
    }
    throw .missingFiles(dataset: dataset, files: files, searched: searched, fix: fix)
  }

  private func present(in dir: String, name: String) -> String? {
    var names = [name]
    if name.hasSuffix(".gz") { names.append(String(name.dropLast(3))) }
    for name in names {
      let path = Self.join(dir, name)
      if FileBytes.kind(of: path) != .missing { return path }
    }
    return nil
  }

  static func join(_ dir: String, _ name: String) -> String {
    dir.hasSuffix("/") ? dir + name : dir + "/" + name
  }

  /// `~/x` → `$HOME/x`, as a shell would have done had the path not come through `dir=`.
  static func expandingTilde(_ path: String, environment: [String: String]) -> String {
    guard path == "~" || path.hasPrefix("~/"), let home = environment["HOME"] else { return path }
    return home + path.dropFirst()
  }
}
