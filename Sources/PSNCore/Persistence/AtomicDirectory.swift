import Foundation

/// Saves a directory of files so that a crash at any moment leaves either the previous complete
/// save or the new complete save readable at the same path — never a mixture, never nothing.
///
/// For a save to `ws/` (parent `P`), with two hidden siblings `P/.ws.psn-staging` (S) and
/// `P/.ws.psn-previous` (A):
///
/// 0. Finish any earlier interrupted save (``open(_:)``'s recovery), then delete a stale S.
/// 1. `stagingWritten`: the caller's closure writes every file into a fresh S.
/// 2. `stagingSynced`: fsync every file and directory in S — the data is on disk before any
///    rename can expose it.
/// 3. `previousMovedAside`: rename ws → A (skipped on a first save); fsync P.
/// 4. `newMovedIntoPlace`: rename S → ws; fsync P. From here the new save is the one read.
/// 5. `previousRemoved`: delete A.
///
/// A crash before step 3 leaves ws untouched (S is garbage, deleted by the next save). Between
/// 3 and 4 ws is missing and A holds the previous complete save: ``open(_:)`` renames A back to
/// ws. After 4, ws is the new complete save and a leftover A is deleted by the next save.
/// The invariant that makes this safe: a directory only ever appears at ws by a rename of a
/// fully synced S or of A, so whatever is at ws is complete.
///
/// Not a lock: two processes saving to the same path at once are not supported.
public enum AtomicDirectory {
  /// The points between the write steps at which a crash is simulated in tests.
  public enum Step: String, CaseIterable, Sendable {
    case stagingWritten, stagingSynced, previousMovedAside, newMovedIntoPlace, previousRemoved
  }

  /// Saves by calling `writeFiles` with an empty staging directory, then swapping it into place
  /// at `directory` as described above. If `writeFiles` throws, the staging directory is removed,
  /// the previous save is untouched and the error is rethrown unchanged.
  @discardableResult
  public static func write<Result>(to directory: URL, _ writeFiles: (URL) throws -> Result) throws
    -> Result
  {
    try write(to: directory, afterStep: { _ in }, writeFiles)
  }

  /// ``write(to:_:)`` with a test hook called after each ``Step``: a hook that throws stops the
  /// save right there, without any cleanup, as a crash would.
  static func write<Result>(
    to directory: URL, afterStep: (Step) throws -> Void, _ writeFiles: (URL) throws -> Result
  ) throws -> Result {
    let paths = Paths(directory)
    try recoverInterruptedSave(paths)
    if FileIO.kind(paths.aside) != .missing { try remove(paths.aside, paths, intact: true) }
    if FileIO.kind(paths.staging) != .missing { try remove(paths.staging, paths, intact: true) }
    do {
      try FileManager.default.createDirectory(
        atPath: paths.staging, withIntermediateDirectories: false)
    } catch {
      throw paths.failure(
        "cannot create \(paths.staging): \(error.localizedDescription)", intact: true)
    }

    let result: Result
    do {
      result = try writeFiles(URL(fileURLWithPath: paths.staging, isDirectory: true))
    } catch {
      try? FileManager.default.removeItem(atPath: paths.staging)
      throw error
    }
    try afterStep(.stagingWritten)

    try syncTree(paths.staging, paths)
    try afterStep(.stagingSynced)

    if FileIO.kind(paths.target) == .directory {
      try rename(paths.target, to: paths.aside, paths, intact: true)
    }
    try afterStep(.previousMovedAside)

    // Not "intact" from here: a failure leaves the previous save at A for open() to restore.
    try rename(paths.staging, to: paths.target, paths, intact: false)
    try afterStep(.newMovedIntoPlace)

    if FileIO.kind(paths.aside) != .missing {
      try? FileManager.default.removeItem(atPath: paths.aside)
    }
    try afterStep(.previousRemoved)
    return result
  }

  /// The directory holding the last complete save at `directory`, restoring it first if a save
  /// was interrupted between moving the previous save aside and moving the new one in.
  /// Throws ``AtomicDirectoryError`` `.notFound` when nothing was ever saved there.
  @discardableResult
  public static func open(_ directory: URL) throws -> URL {
    let paths = Paths(directory)
    try recoverInterruptedSave(paths)
    guard FileIO.kind(paths.target) == .directory else {
      throw AtomicDirectoryError(directory: paths.target, problem: .notFound)
    }
    return URL(fileURLWithPath: paths.target, isDirectory: true)
  }

  /// Renames A back to ws when ws is missing; refuses a ws that is a file.
  private static func recoverInterruptedSave(_ paths: Paths) throws {
    switch FileIO.kind(paths.target) {
    case .directory: return
    case .other: throw AtomicDirectoryError(directory: paths.target, problem: .notADirectory)
    case .missing:
      guard FileIO.kind(paths.aside) == .directory else { return }
      try rename(paths.aside, to: paths.target, paths, intact: false)
    }
  }

  /// The save's path and its two hidden siblings.
  struct Paths {
    let target: String
    let parent: String
    let staging: String
    let aside: String

    init(_ directory: URL) {
      let target = directory.standardizedFileURL
      let name = target.lastPathComponent
      let parent = target.deletingLastPathComponent()
      self.target = target.path
      self.parent = parent.path
      staging = parent.appendingPathComponent(".\(name).psn-staging").path
      aside = parent.appendingPathComponent(".\(name).psn-previous").path
    }

    func failure(_ reason: String, intact: Bool) -> AtomicDirectoryError {
      AtomicDirectoryError(
        directory: target, problem: .failed(reason: reason, previousSaveIntact: intact))
    }
  }

  /// rename(2), then fsync of the parent so the rename itself is durable.
  private static func rename(_ source: String, to destination: String, _ paths: Paths, intact: Bool)
    throws
  {
    do {
      try FileIO.rename(source, to: destination)
      try FileIO.sync(paths.parent)
    } catch {
      throw paths.failure(error.reason, intact: intact)
    }
  }

  private static func remove(_ path: String, _ paths: Paths, intact: Bool) throws {
    do {
      try FileManager.default.removeItem(atPath: path)
    } catch {
      throw paths.failure("cannot remove \(path): \(error.localizedDescription)", intact: intact)
    }
  }

  /// fsync every file and directory below `root`, then `root` itself.
  private static func syncTree(_ root: String, _ paths: Paths) throws {
    do {
      let relativePaths = try FileManager.default.subpathsOfDirectory(atPath: root)
      // Deepest first, so each directory is synced after the entries it names.
      for relative in relativePaths.sorted(by: >) {
        try FileIO.sync(root + "/" + relative)
      }
      try FileIO.sync(root)
    } catch let error as FileIO.Failure {
      throw paths.failure(error.reason, intact: true)
    } catch {
      throw paths.failure("cannot list \(root): \(error.localizedDescription)", intact: true)
    }
  }
}
