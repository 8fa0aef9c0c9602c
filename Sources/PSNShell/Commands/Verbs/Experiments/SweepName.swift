import PSNCore

/// The default name of a sweep: its keys and a fingerprint of what its cells do, e.g.
/// `profile-cv-3f09a1c2` (`repeat-…` for a sweep over seeds alone).
///
/// The fingerprint is FNV-1a (64 bits, first 32 shown) over the sweep's axes and seeds, the
/// block's text (words as written, without their places, so moving the sweep within its file
/// keeps the name) and the values of the variables the block reads, other than the sweep's own
/// and loop variables. Running the same script again finds the same sweep and skips its
/// finished cells; changing the block or a variable it reads (`$epochs`) starts a new sweep
/// rather than mixing runs of two different experiments in one table.
enum SweepName {
  static func fingerprint(of ctx: CommandContext, axes: [SweepGrid.Axis], seeds: [UInt64]) -> String {
    let block = ctx.invocation.block ?? []
    var bound = Set(axes.map(\.key) + ["seed"])
    var read = Set<String>()
    let body = text(block, bound: &bound, read: &read)
    var canonical = axes.map { "\($0.key)=\($0.values.joined(separator: ","))" }.joined(separator: " ")
    canonical += " seeds=\(seeds.map(String.init).joined(separator: ",")) {\(body)}"
    for name in read.sorted() {
      canonical += " $\(name)=\(ctx.workspace.variables[name].map { "\"\($0)\"" } ?? "unset")"
    }
    let prefix = axes.isEmpty ? "repeat" : axes.map(\.key).joined(separator: "-")
    let hex = String(fnv1a(canonical) >> 32, radix: 16)
    return prefix + "-" + String(repeating: "0", count: 8 - hex.count) + hex
  }

  /// The statements as text without source places; collects the variables read that are not
  /// bound by the sweep or by a loop inside it.
  static func text(_ statements: [Statement], bound: inout Set<String>, read: inout Set<String>) -> String {
    var out: [String] = []
    for statement in statements {
      switch statement {
      case .command(let c):
        var line = c.words.map { word($0, bound, &read) }.joined(separator: " ")
        if let block = c.block { line += " {\(text(block, bound: &bound, read: &read))}" }
        out.append(line)
      case .forLoop(let f):
        let items = f.items.map { word($0, bound, &read) }.joined(separator: " ")
        let wasBound = bound.contains(f.variable)
        bound.insert(f.variable)
        out.append("for \(f.variable) in \(items) {\(text(f.body, bound: &bound, read: &read))}")
        if !wasBound { bound.remove(f.variable) }
      }
    }
    return out.joined(separator: "; ")
  }

  private static func word(_ w: Word, _ bound: Set<String>, _ read: inout Set<String>) -> String {
    w.parts.map { part in
      switch part {
      case .text(let s, let quoted): return quoted ? "\"\(s)\"" : s
      case .variable(let name, _):
        if !bound.contains(name) { read.insert(name) }
        return "${\(name)}"
      }
    }.joined()
  }

  /// FNV-1a, 64 bits: a hash that is the same in every process (Swift's `Hasher` is not).
  static func fnv1a(_ text: String) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      h ^= UInt64(byte)
      h = h &* 0x0000_0100_0000_01b3
    }
    return h
  }
}
