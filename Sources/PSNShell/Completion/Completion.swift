/// What Tab offers at the cursor: the partial word being completed and the words that may
/// replace it, for example word `optimizer=a` with candidates `optimizer=adam`, `optimizer=adamw`.
public struct Completion: Equatable, Sendable {
  /// One word that can replace the partial word.
  public struct Candidate: Equatable, Sendable, Comparable {
    /// The whole replacement (it starts with the partial word).
    public var text: String
    /// Whether the word is finished, so a space should follow it; false for `key=` (a value
    /// comes next) and `dir/` (a file name comes next).
    public var isComplete: Bool

    public init(_ text: String, isComplete: Bool = true) {
      self.text = text
      self.isComplete = isComplete
    }

    public static func < (a: Candidate, b: Candidate) -> Bool { a.text < b.text }
  }

  /// The partial word before the cursor, as typed (empty after a space).
  public var word: String
  /// Sorted, without duplicates.
  public var candidates: [Candidate]

  public init(word: String, candidates: [Candidate]) {
    self.word = word
    var seen = Set<String>()
    self.candidates = candidates.sorted().filter { seen.insert($0.text).inserted }
  }

  public static func none(_ word: String = "") -> Completion { Completion(word: word, candidates: []) }

  /// The candidate texts, for tests and listings.
  public var texts: [String] { candidates.map(\.text) }

  /// The candidates rewritten to replace `editorWord`, the word as the line editor cut it.
  ///
  /// libedit splits words at its own break characters (`=` and `$` among them), so for
  /// `optimizer=a` it replaces only `a`: the candidate `optimizer=adam` becomes `adam`. When the
  /// editor's word is longer than psn's, the difference is put in front instead. Candidates that
  /// do not fit the editor's word are left out.
  public func candidates(replacing editorWord: String) -> [Candidate] {
    if word.hasSuffix(editorWord) {
      let extra = word.dropLast(editorWord.count)
      return candidates.compactMap { c in
        c.text.hasPrefix(extra) ? Candidate(String(c.text.dropFirst(extra.count)), isComplete: c.isComplete) : nil
      }
    }
    if editorWord.hasSuffix(word) {
      let extra = editorWord.dropLast(word.count)
      return candidates.map { Candidate(extra + $0.text, isComplete: $0.isComplete) }
    }
    return []
  }
}
