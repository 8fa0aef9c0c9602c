import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The handful of POSIX file operations persistence needs, with failures carried as errno so
/// callers can put the system's reason ("No space left on device") into their own typed errors.
///
/// POSIX rather than FileManager because atomic saving depends on exactly these semantics:
/// rename(2) replaces atomically and never copies, and fsync(2) on a file *and* on its directory
/// is what makes a rename survive power loss.
enum FileIO {
  /// A failed system call: what was attempted, on which path, and errno.
  struct Failure: Error, Equatable {
    var operation: String
    var path: String
    var code: Int32

    /// "write /a/b: No space left on device"
    var reason: String { "\(operation) \(path): \(String(cString: strerror(code)))" }
  }

  /// The whole file. Reads in a loop: read(2) may return fewer bytes than asked.
  static func readAll(_ path: String) throws(Failure) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw Failure(operation: "open", path: path, code: errno) }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw Failure(operation: "stat", path: path, code: errno) }
    if (info.st_mode & S_IFMT) == S_IFDIR {
      throw Failure(operation: "read", path: path, code: EISDIR)
    }
    var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
    var filled = 0
    while filled < bytes.count {
      let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
      if n < 0, errno == EINTR { continue }
      guard n >= 0 else { throw Failure(operation: "read", path: path, code: errno) }
      if n == 0 { break }  // the file shrank since fstat
      filled += n
    }
    return filled == bytes.count ? bytes : Array(bytes[..<filled])
  }

  /// Creates or truncates `path` and writes `bytes` (not synced: ``sync(_:)`` does that).
  static func writeAll(_ bytes: [UInt8], to path: String) throws(Failure) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw Failure(operation: "create", path: path, code: errno) }
    var written = 0
    while written < bytes.count {
      let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
      if n < 0, errno == EINTR { continue }
      guard n > 0 else {
        let code = errno
        close(fd)
        throw Failure(operation: "write", path: path, code: code)
      }
      written += n
    }
    guard close(fd) == 0 else { throw Failure(operation: "close", path: path, code: errno) }
  }

  /// fsync(2) on a file or a directory (a directory's entries — new names, renames — are only
  /// durable once the directory itself is synced).
  static func sync(_ path: String) throws(Failure) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw Failure(operation: "open", path: path, code: errno) }
    defer { close(fd) }
    guard fsync(fd) == 0 else { throw Failure(operation: "fsync", path: path, code: errno) }
  }

  /// rename(2): atomic; fails rather than replace a non-empty directory.
  static func rename(_ source: String, to destination: String) throws(Failure) {
    #if canImport(Glibc)
      let result = Glibc.rename(source, destination)
    #else
      let result = Darwin.rename(source, destination)
    #endif
    guard result == 0 else { throw Failure(operation: "rename", path: source, code: errno) }
  }

  enum Kind { case missing, directory, other }

  /// What is at `path`, following symbolic links.
  static func kind(_ path: String) -> Kind {
    var info = stat()
    guard stat(path, &info) == 0 else { return .missing }
    return (info.st_mode & S_IFMT) == S_IFDIR ? .directory : .other
  }
}
