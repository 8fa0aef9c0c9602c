/// File names for user-chosen object names. The manifest records which file holds which object,
/// so a file name only has to be safe and unique, not reversible.
///
/// Letters, digits, `-`, `_` and `.` are kept; every other byte of the UTF-8 name (and a leading
/// `.`, so no file is hidden) becomes `%XX`. Names are cut at 100 bytes, and a name that would
/// collide with an earlier one — also when compared case-insensitively, for macOS — gets `~2`,
/// `~3`, ... appended.
enum ArchiveFileName {
  static let maximumLength = 100

  /// One file name per object name, in order.
  static func assign(_ names: [String]) -> [String] {
    var taken = Set<String>()
    return names.map { name in
      let base = String(escape(name).prefix(maximumLength))
      var file = base
      var suffix = 2
      while taken.contains(file.lowercased()) {
        file = "\(base)~\(suffix)"
        suffix += 1
      }
      taken.insert(file.lowercased())
      return file
    }
  }

  /// Whether `file` is a name `assign` can produce: the check `open` applies to the manifest's
  /// entries, so a damaged or hostile manifest cannot point outside the save (`../x`, `/etc`).
  static func isSafe(_ file: String) -> Bool {
    guard let first = file.utf8.first, first != UInt8(ascii: "."),
      file.utf8.count <= maximumLength + 12
    else { return false }
    return file.utf8.allSatisfy { isKept($0) || $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "~") }
  }

  private static func escape(_ name: String) -> String {
    var out = ""
    for (i, byte) in name.utf8.enumerated() {
      if isKept(byte) && !(i == 0 && byte == UInt8(ascii: ".")) {
        out.append(Character(Unicode.Scalar(byte)))
      } else {
        out +=
          "%" + String(byte >> 4, radix: 16, uppercase: true)
          + String(byte & 0xF, radix: 16, uppercase: true)
      }
    }
    return out
  }

  private static func isKept(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
      UInt8(ascii: "."):
      true
    default: false
    }
  }
}
