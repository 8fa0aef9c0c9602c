/// `manifest.json`: what identifies a directory as a psn save, and the index of its objects.
///
/// ```json
/// {"format": "psn-workspace", "version": 1, "psnVersion": "0.1.0",
///  "datasets": [{"name": "fashion", "request": {...}, "fingerprint": {...}}],
///  "profiles": [{"name": "p1", "file": "p1"}], "models": [...], "runs": [...],
///  "current": {"model": "m1"}, "variables": {"seed": "3"}}
/// ```
/// An object entry's `file` names `KIND/FILE.json` and `KIND/FILE.safetensors`.
struct WorkspaceManifest: Codable {
  /// The fields read first, so that a foreign or newer manifest is recognised as such before
  /// its other fields are decoded.
  struct Identity: Codable {
    var format: String
    var version: Int
    var psnVersion: String
  }

  struct Entry: Codable, Equatable {
    var name: String
    var file: String
  }

  var format: String
  var version: Int
  var psnVersion: String
  var datasets: [WorkspaceSnapshot.DatasetEntry]
  var profiles: [Entry]
  var models: [Entry]
  var runs: [Entry]
  var current: [String: String]
  var variables: [String: String]
}
