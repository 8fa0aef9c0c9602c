import PSNCore

/// The named objects of a session — datasets, profiles, models, runs — the current one of each
/// kind, and the language's variables.
///
/// A value type: the interpreter keeps a copy before each command and puts it back if the
/// command fails, so a failing command never leaves the workspace half-changed. Copies are
/// cheap (the arrays inside are copy-on-write).
public struct Workspace: Sendable {
  /// Names in the order objects were created.
  public private(set) var names: [String] = []
  public private(set) var objects: [String: WorkspaceObject] = [:]
  /// The current object of each kind (the one short commands use).
  public var current: [ObjectKind: String] = [:]
  /// Variables set with `set` (and loop variables while their loop runs).
  public var variables: [String: String] = [:]
  /// Numbers handed out for default names (`m1`, `run3`).
  var counters: [String: Int] = [:]

  public init() {}

  /// Names are words: a letter first, then letters, digits, `-`, `_`, `.`.
  public static func isValidName(_ name: String) -> Bool {
    guard let first = name.first, first.isLetter else { return false }
    return name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }
  }

  public subscript(name: String) -> WorkspaceObject? { objects[name] }

  public func names(of kind: ObjectKind) -> [String] {
    names.filter { objects[$0]?.kind == kind }
  }

  /// Stores `object` under `name` and makes it the current one of its kind. A name already used
  /// by an object of the same kind is replaced; one used by another kind is refused.
  public mutating func put(_ object: WorkspaceObject, as name: String) throws(ShellError) {
    if let existing = objects[name], existing.kind != object.kind {
      throw ShellError("'\(name)' is already a \(existing.kind.rawValue) (choose another name with as=, or drop \(name))")
    }
    if objects[name] == nil { names.append(name) }
    objects[name] = object
    current[object.kind] = name
  }

  /// Replaces an existing object without changing which one is current.
  public mutating func update(_ object: WorkspaceObject, as name: String) {
    precondition(objects[name]?.kind == object.kind, "update of a missing or different object")
    objects[name] = object
  }

  /// `prefix1`, `prefix2`, …: the first such name not in use.
  public mutating func freshName(_ prefix: String) -> String {
    var n = counters[prefix, default: 0]
    var name: String
    repeat {
      n += 1
      name = "\(prefix)\(n)"
    } while objects[name] != nil
    counters[prefix] = n
    return name
  }

  /// `base`, or `base-2`, `base-3`, … if taken.
  public func uniqueName(_ base: String) -> String {
    guard objects[base] != nil else { return base }
    var n = 2
    while objects["\(base)-\(n)"] != nil { n += 1 }
    return "\(base)-\(n)"
  }

  public mutating func rename(_ old: String, to new: String) throws(ShellError) {
    guard let object = objects[old] else { throw missing(old, kind: nil) }
    guard Workspace.isValidName(new) else {
      throw ShellError("'\(new)' is not a valid name (use letters, digits, and - _ . ; start with a letter)")
    }
    guard objects[new] == nil else { throw ShellError("'\(new)' is already taken (drop it first, or choose another name)") }
    objects[new] = object
    objects[old] = nil
    names[names.firstIndex(of: old)!] = new
    for (kind, name) in current where name == old { current[kind] = new }
    // References by name follow the rename.
    for (name, object) in objects {
      switch object {
      case .model(var m):
        if m.datasetName == old { m.datasetName = new }
        if m.lastRun == old { m.lastRun = new }
        if m.profileName == old { m.profileName = new }
        objects[name] = .model(m)
      case .run(var r):
        if r.modelName == old { r.modelName = new }
        if r.datasetName == old { r.datasetName = new }
        objects[name] = .run(r)
      default: break
      }
    }
  }

  public mutating func drop(_ name: String) throws(ShellError) {
    guard let object = objects[name] else { throw missing(name, kind: nil) }
    objects[name] = nil
    names.removeAll { $0 == name }
    if current[object.kind] == name { current[object.kind] = names(of: object.kind).last }
  }

  // MARK: - Lookup

  /// The error for a name that is not there, with the closest existing name.
  public func missing(_ name: String, kind: ObjectKind?) -> ShellError {
    let candidates = kind.map { names(of: $0) } ?? names
    let what = kind?.rawValue ?? "object"
    let hint = Spelling.closestMatch(to: name, among: candidates).map { "did you mean '\($0)'? " } ?? ""
    let list = candidates.isEmpty ? "the workspace has no \(what)s yet" : "\(what)s: " + candidates.joined(separator: ", ")
    return ShellError("no \(what) named '\(name)' (\(hint)\(list))")
  }

  /// The named object of `kind`, or the current one when `name` is nil.
  func resolve(_ name: String?, _ kind: ObjectKind, hint: String) throws(ShellError) -> String {
    if let name {
      guard let object = objects[name] else { throw missing(name, kind: kind) }
      guard object.kind == kind else {
        throw ShellError("'\(name)' is a \(object.kind.rawValue), not a \(kind.rawValue)")
      }
      return name
    }
    guard let name = current[kind] else { throw ShellError("no \(kind.rawValue) yet (\(hint))") }
    return name
  }

  private func lookup<T>(
    _ name: String?, _ kind: ObjectKind, hint: String, _ extract: (WorkspaceObject) -> T?
  ) throws(ShellError) -> (name: String, object: T) {
    let n = try resolve(name, kind, hint: hint)
    return (n, extract(objects[n]!)!)  // `resolve` checked the kind
  }

  public func dataset(_ name: String? = nil) throws(ShellError) -> (name: String, object: DatasetObject) {
    try lookup(name, .dataset, hint: "load one first: load fashion", \.dataset)
  }

  public func model(_ name: String? = nil) throws(ShellError) -> (name: String, object: ModelObject) {
    try lookup(name, .model, hint: "build one first: model mlp hidden=300,100", \.model)
  }

  public func profile(_ name: String? = nil) throws(ShellError) -> (name: String, object: ProfileObject) {
    try lookup(name, .profile, hint: "make one first: profile lognormal cv=1.5", \.profile)
  }

  public func run(_ name: String? = nil) throws(ShellError) -> (name: String, object: TrainingRun) {
    try lookup(name, .run, hint: "train a model first: train static epochs=5", \.run)
  }

  /// All runs, in creation order.
  public var runs: [TrainingRun] {
    names.compactMap { objects[$0]?.run }
  }
}
