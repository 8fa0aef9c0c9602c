/// "Did you mean …?" for names typed by a user: profile families, parameter keys, choices.
public enum Spelling {
  /// The candidate closest to `name` by edit distance, if it is close enough to be a likely typo.
  ///
  /// Close enough means at most 1 edit for names of up to 3 letters, 2 up to 6 letters and 3 beyond,
  /// so `lognorml` finds `lognormal` while `foo` finds nothing. Comparison ignores case. Ties go to
  /// the earlier candidate, so the answer never depends on hashing order.
  public static func closestMatch(to name: String, among candidates: [String]) -> String? {
    let typed = Array(name.lowercased())
    let allowed = typed.count <= 3 ? 1 : typed.count <= 6 ? 2 : 3
    var best: (candidate: String, distance: Int)?
    for candidate in candidates {
      let d = editDistance(typed, Array(candidate.lowercased()))
      if d <= allowed, d < (best?.distance ?? .max) { best = (candidate, d) }
    }
    return best?.candidate
  }

  /// Levenshtein distance: the fewest single-character insertions, deletions and substitutions
  /// that turn `a` into `b` (one row of the dynamic-programming table kept at a time).
  static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
        current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
      }
      swap(&previous, &current)
    }
    return previous[b.count]
  }
}
