import PSNCore

/// A command resolved against its declaration: which (sub)command, its positional words and its
/// `key=value` settings, all expanded. Typed getters parse values by the declared type and fall
/// back to the declared default.
public struct Invocation: Sendable {
  /// One expanded word as typed: its key (nil for a positional), its value and place.
  public struct Argument: Sendable, Equatable {
    public var key: String?
    public var value: String
    public var location: SourceLocation
  }

  /// The words that selected the command: `["train", "rigl"]`.
  public var path: [String]
  public var spec: CommandSpec
  /// Keys of the command and every parent on its path.
  public var keySpecs: [KeySpec]
  public var positionals: [Argument]
  /// The settings given, by key (a repeated key keeps its last value).
  public var settings: [String: Argument]
  /// Settings in the order typed.
  public var orderedSettings: [Argument]
  public var block: [Statement]?
  public var location: SourceLocation
  /// The command's text as typed.
  public var text: String
  /// `--json` was given on this command.
  public var wantsJSON: Bool

  public var commandName: String { path.joined(separator: " ") }

  func keySpec(_ key: String) -> KeySpec? { keySpecs.first { $0.name == key } }

  /// Whether the user gave `key`.
  public func has(_ key: String) -> Bool { settings[key] != nil }

  /// The text given for `key`, or its default (nil when neither).
  public func raw(_ key: String) -> String? {
    settings[key]?.value ?? keySpec(key)?.defaultValue
  }

  func location(of key: String) -> SourceLocation { settings[key]?.location ?? location }

  private func parsed<T>(_ key: String, _ parse: (String, KeySpec) throws(ShellError) -> T) throws(ShellError) -> T? {
    guard let spec = keySpec(key) else {
      preconditionFailure("\(commandName) reads key '\(key)' it does not declare")
    }
    guard let text = raw(key) else { return nil }
    do {
      return try parse(text, spec)
    } catch {
      throw ShellError(error.message, at: location(of: key))
    }
  }

  public func int(_ key: String) throws(ShellError) -> Int? {
    try parsed(key) { text, spec throws(ShellError) in try ValueParser.int(text, spec.name, spec.type) }
  }

  public func double(_ key: String) throws(ShellError) -> Double? {
    try parsed(key) { text, spec throws(ShellError) in try ValueParser.double(text, spec.name, spec.type) }
  }

  public func bool(_ key: String) throws(ShellError) -> Bool? {
    try parsed(key) { text, spec throws(ShellError) in try ValueParser.bool(text, spec.name) }
  }

  public func string(_ key: String) throws(ShellError) -> String? {
    try parsed(key) { text, spec throws(ShellError) in try ValueParser.validate(text, spec.name, spec.type) }
  }

  public func intList(_ key: String) throws(ShellError) -> [Int]? {
    try parsed(key) { text, spec throws(ShellError) in try ValueParser.intList(text, spec.name) }
  }

  /// 0-based layer indices; nil when absent with no default.
  public func layers(_ key: String) throws(ShellError) -> Set<Int>? {
    try parsed(key) { text, spec throws(ShellError) in try ValueParser.layers(text, spec.name) }
  }

  public func seeds(_ key: String) throws(ShellError) -> [UInt64]? {
    try parsed(key) { text, spec throws(ShellError) in try ValueParser.seeds(text, spec.name) }
  }

  /// The choice given for `key` as an enum case.
  public func choice<E: RawRepresentable>(_ key: String, as: E.Type) throws(ShellError) -> E?
  where E.RawValue == String {
    try string(key).flatMap { E(rawValue: $0) }
  }

  /// The positional word declared as `name`.
  public func positional(_ name: String) -> Argument? {
    guard let index = spec.positionals.firstIndex(where: { $0.name == name }) else {
      preconditionFailure("\(commandName) has no positional '\(name)'")
    }
    return index < positionals.count ? positionals[index] : nil
  }

  /// Every word taken by a variadic positional (and those after it).
  public func positionalValues(from name: String) -> [Argument] {
    guard let index = spec.positionals.firstIndex(where: { $0.name == name }) else { return [] }
    return index < positionals.count ? Array(positionals[index...]) : []
  }

  /// Checks every value given against its declared type, so a bad key fails before anything runs.
  func validateAll() throws(ShellError) {
    for argument in orderedSettings {
      guard let key = argument.key, let spec = keySpec(key) else { continue }
      do {
        _ = try ValueParser.check(argument.value, spec.name, spec.type)
      } catch {
        throw ShellError(error.message, at: argument.location)
      }
    }
  }
}

/// Parses and checks values by `ValueType`, with messages that name the key and say what would
/// be accepted.
public enum ValueParser {
  static func check(_ text: String, _ key: String, _ type: ValueType) throws(ShellError) {
    switch type {
    case .int: _ = try int(text, key, type)
    case .double: _ = try double(text, key, type)
    case .bool: _ = try bool(text, key)
    case .intList: _ = try intList(text, key)
    case .layers: _ = try layers(text, key)
    case .seeds: _ = try seeds(text, key)
    case .choice, .name, .wordOrName, .string, .path, .text: _ = try validate(text, key, type)
    }
  }

  static func int(_ text: String, _ key: String, _ type: ValueType) throws(ShellError) -> Int {
    guard let v = Int(text) else {
      throw ShellError("\(key)=\(text) is not a whole number (e.g. \(key)=\(example(type)))")
    }
    if case .int(let range?) = type, !range.contains(v) {
      throw ShellError("\(key)=\(text) is out of range (\(key) must be \(describe(range)))")
    }
    return v
  }

  static func double(_ text: String, _ key: String, _ type: ValueType) throws(ShellError) -> Double {
    guard let v = Double(text), v.isFinite else {
      throw ShellError("\(key)=\(text) is not a number (e.g. \(key)=\(example(type)))")
    }
    if case .double(let range?) = type, !range.contains(v) {
      throw ShellError("\(key)=\(text) is out of range (\(key) must be between \(Format.number(range.lowerBound)) and \(Format.number(range.upperBound)))")
    }
    return v
  }

  static func bool(_ text: String, _ key: String) throws(ShellError) -> Bool {
    switch text.lowercased() {
    case "true", "yes", "on", "1": return true
    case "false", "no", "off", "0": return false
    default: throw ShellError("\(key)=\(text) is not true or false")
    }
  }

  static func intList(_ text: String, _ key: String) throws(ShellError) -> [Int] {
    let items = text.split(separator: ",", omittingEmptySubsequences: false)
    var out: [Int] = []
    for item in items {
      guard let v = Int(item), v > 0 else {
        throw ShellError("\(key)=\(text) should be positive whole numbers separated by commas (e.g. \(key)=300,100)")
      }
      out.append(v)
    }
    return out
  }

  static func layers(_ text: String, _ key: String) throws(ShellError) -> Set<Int> {
    if text == "none" { return [] }
    if text == "all" { return Set(0..<1000) }
    var out = Set<Int>()
    for item in text.split(separator: ",", omittingEmptySubsequences: false) {
      guard let v = Int(item), v >= 1 else {
        throw ShellError("\(key)=\(text) should list layer numbers from 1 (e.g. \(key)=1,3), or be none or all")
      }
      out.insert(v - 1)
    }
    return out
  }

  static func seeds(_ text: String, _ key: String) throws(ShellError) -> [UInt64] {
    let bad = ShellError("\(key)=\(text) should be seeds such as 1..10 or 1,2,3 (whole numbers ≥ 0)")
    if let range = try? Expansion.integerRange(text, at: SourceLocation(source: "", line: 0, column: 0)) {
      guard range.allSatisfy({ $0 >= 0 }) else { throw bad }
      return range.map { UInt64($0) }
    }
    var out: [UInt64] = []
    for item in text.split(separator: ",", omittingEmptySubsequences: false) {
      guard let v = UInt64(item) else { throw bad }
      out.append(v)
    }
    return out
  }

  static func validate(_ text: String, _ key: String, _ type: ValueType) throws(ShellError) -> String {
    switch type {
    case .choice(let choices):
      if let exact = choices.first(where: { $0.lowercased() == text.lowercased() }) { return exact }
      let hint = Spelling.closestMatch(to: text, among: choices).map { "did you mean '\($0)'? " } ?? ""
      throw ShellError("\(key)=\(text) is not a choice (\(hint)should be one of \(choices.joined(separator: ", ")))")
    case .wordOrName(let words, _):
      if let word = words.first(where: { $0.lowercased() == text.lowercased() }) { return word }
      return try validate(text, key, .name(nil))
    case .name:
      guard Workspace.isValidName(text) else {
        throw ShellError("'\(text)' is not a valid name for \(key) (use letters, digits, and - _ . ; start with a letter)")
      }
      return text
    case .path, .string:
      guard !text.isEmpty else { throw ShellError("\(key) needs a value") }
      return text
    default:
      return text
    }
  }

  private static func example(_ type: ValueType) -> String {
    switch type {
    case .int(let r?): String(max(r.lowerBound, min(5, r.upperBound)))
    case .double(let r?): Format.number(min(max(0.5, r.lowerBound), r.upperBound))
    case .double: "0.5"
    default: "5"
    }
  }

  private static func describe(_ range: ClosedRange<Int>) -> String {
    if range.upperBound == Int.max { return "at least \(range.lowerBound)" }
    return "between \(range.lowerBound) and \(range.upperBound)"
  }
}
