#if canImport(Glibc)
  import Glibc
  private let posixRead = Glibc.read
#else
  import Darwin
  private let posixRead = Darwin.read
#endif

/// Whole-file reads for the dataset loaders.
///
/// Datasets are read into memory in one piece (Fashion-MNIST's largest file is 26 MB compressed),
/// with POSIX calls so the bytes land in a Swift array without an intermediate `Data` copy.
enum FileBytes {
  /// Reads the whole file, or throws `unreadable` naming the file.
  static func read(_ path: String) throws(DataError) -> [UInt8] {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw .unreadable(file: path, reason: errnoText()) }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw .unreadable(file: path, reason: errnoText()) }
    guard (info.st_mode & S_IFMT) == S_IFREG else {
      throw .unreadable(file: path, reason: "not a regular file")
    }
    let size = Int(info.st_size)
    var failure: String?
    let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
      while count < size {
        let got = posixRead(fd, buffer.baseAddress! + count, size - count)
        if got < 0 && errno == EINTR { continue }
        if got < 0 {
          failure = errnoText()
          return
        }
        if got == 0 {
          failure = "file shrank while being read"
          return
        }
        count += got
      }
    }
    if let failure { throw .unreadable(file: path, reason: failure) }
    return bytes
  }

  /// Reads the file and inflates it when its name ends in `.gz`.
  static func readMaybeGzipped(_ path: String) throws(DataError) -> [UInt8] {
    let raw = try read(path)
    return path.hasSuffix(".gz") ? try Gzip.inflate(raw, file: path) : raw
  }

  enum Kind { case missing, file, directory, other }

  static func kind(of path: String) -> Kind {
    var info = stat()
    guard stat(path, &info) == 0 else { return .missing }
    switch info.st_mode & S_IFMT {
    case S_IFREG: return .file
    case S_IFDIR: return .directory
    default: return .other
    }
  }

  private static func errnoText() -> String { String(cString: strerror(errno)) }
}
