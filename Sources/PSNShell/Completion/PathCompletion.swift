import Foundation

/// The directory listings path completion reads; tests give a fixed tree instead of the disk.
public struct FileSystemView: Sendable {
  /// One entry of a directory.
  public struct Entry: Sendable, Equatable {
    public var name: String
    public var isDirectory: Bool

    public init(_ name: String, isDirectory: Bool = false) {
      self.name = name
      self.isDirectory = isDirectory
    }
  }

  /// The entries of a directory given as an absolute path (nil when it cannot be read).
  public var list: @Sendable (String) -> [Entry]?
  /// What relative paths are relative to.
  public var currentDirectory: String
  /// What `~` stands for (nil: leave `~` alone).
  public var home: String?

  public init(currentDirectory: String, home: String?, list: @escaping @Sendable (String) -> [Entry]?) {
    self.currentDirectory = currentDirectory
    self.home = home
    self.list = list
  }

  /// The real file system, relative to the process's working directory.
  public static var disk: FileSystemView {
    FileSystemView(
      currentDirectory: FileManager.default.currentDirectoryPath,
      home: ProcessInfo.processInfo.environment["HOME"]
    ) { directory in
      let fm = FileManager.default
      guard let names = try? fm.contentsOfDirectory(atPath: directory) else { return nil }
      return names.map { name in
        var isDirectory: ObjCBool = false
        _ = fm.fileExists(atPath: (directory as NSString).appendingPathComponent(name), isDirectory: &isDirectory)
        return Entry(name, isDirectory: isDirectory.boolValue)
      }
    }
  }

  /// Paths that start with `typed`: `examples/tu` → `examples/tutorials/`. Directories end in `/`
  /// and are not complete (a name inside comes next); hidden entries appear only when the typed
  /// name starts with a dot.
  ///
  /// Written as words psn reads back as those paths: when any path needs quotes (a space, a
  /// quote, `$` …; `Lexer.needsQuotes`) all of them come in double quotes, so that they still
  /// share their typed start; when `typed` opens a quote (`"my s`), they go on inside it. A
  /// finished path closes its quote, a directory leaves it open for the name that comes next.
  func completions(of typed: String) -> [Completion.Candidate] {
    guard let quoted = Lexer.textInsideOpenQuote(typed) else {
      if typed.first == "\"" || typed.first == "'" { return [] }  // closed, or a variable inside
      let found = paths(startingWith: typed)
      guard found.contains(where: { Lexer.needsQuotes($0.path) }) else {
        return found.map { Completion.Candidate($0.path, isComplete: !$0.isDirectory) }
      }
      return found.map { inQuotes("\"", typed: "\"", remainder: $0.path, isDirectory: $0.isDirectory) }
    }
    return paths(startingWith: quoted.text).compactMap { found in
      let remainder = String(found.path.dropFirst(quoted.text.count))
      // Single quotes have no escapes: a name with one in it cannot be written inside them.
      if quoted.quote == "'" && remainder.contains("'") { return nil }
      return inQuotes(quoted.quote, typed: typed, remainder: remainder, isDirectory: found.isDirectory)
    }
  }

  /// `typed` (which opens `quote`) followed by `remainder`, escaped as that quote needs, and the
  /// closing quote unless it is a directory.
  private func inQuotes(_ quote: Character, typed: String, remainder: String, isDirectory: Bool) -> Completion.Candidate {
    let body = quote == "\"" ? Lexer.escapedForDoubleQuotes(remainder) : remainder
    return Completion.Candidate(typed + body + (isDirectory ? "" : String(quote)), isComplete: !isDirectory)
  }

  /// The paths that start with `typed` (directories with their `/`).
  private func paths(startingWith typed: String) -> [(path: String, isDirectory: Bool)] {
    if typed == "~", home != nil { return [("~/", true)] }
    let slash = typed.lastIndex(of: "/")
    let directoryPart = slash.map { String(typed[...$0]) } ?? ""
    let namePrefix = slash.map { String(typed[typed.index(after: $0)...]) } ?? typed
    guard let entries = list(absolute(directoryPart)) else { return [] }
    return entries.compactMap { entry in
      guard entry.name.hasPrefix(namePrefix), namePrefix.hasPrefix(".") || !entry.name.hasPrefix(".") else { return nil }
      return (directoryPart + entry.name + (entry.isDirectory ? "/" : ""), entry.isDirectory)
    }
  }

  /// The directory to list for the typed directory part (`""`, `data/`, `/usr/`, `~/`).
  private func absolute(_ directoryPart: String) -> String {
    var path = directoryPart.isEmpty ? "." : directoryPart
    if let home, path == "~/" || path.hasPrefix("~/") { path = home + path.dropFirst() }
    if !path.hasPrefix("/") { path = (currentDirectory as NSString).appendingPathComponent(path) }
    return path
  }
}
