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
  func completions(of typed: String) -> [Completion.Candidate] {
    if typed == "~", home != nil { return [Completion.Candidate("~/", isComplete: false)] }
    let slash = typed.lastIndex(of: "/")
    let directoryPart = slash.map { String(typed[...$0]) } ?? ""
    let namePrefix = slash.map { String(typed[typed.index(after: $0)...]) } ?? typed
    guard let entries = list(absolute(directoryPart)) else { return [] }
    return entries.compactMap { entry in
      guard entry.name.hasPrefix(namePrefix), namePrefix.hasPrefix(".") || !entry.name.hasPrefix(".") else { return nil }
      return entry.isDirectory
        ? Completion.Candidate(directoryPart + entry.name + "/", isComplete: false)
        : Completion.Candidate(directoryPart + entry.name)
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
