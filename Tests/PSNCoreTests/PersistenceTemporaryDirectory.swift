import Foundation

/// Runs `body` with a fresh directory under the system's temporary directory and removes it
/// afterwards. Scoped rather than tied to an object's lifetime: Swift may release an object after
/// its last use, which would delete the directory while a test still works in it.
func withTemporaryDirectory<Result>(_ body: (URL) throws -> Result) throws -> Result {
  let url = FileManager.default.temporaryDirectory
    .appendingPathComponent("psn-test-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: url) }
  return try body(url)
}
