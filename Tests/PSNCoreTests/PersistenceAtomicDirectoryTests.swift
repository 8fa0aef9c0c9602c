import Foundation
import Testing

@testable import PSNCore

/// AtomicDirectory: a crash simulated after every write step leaves the previous complete save
/// or the new complete save readable — never a mixture, never nothing once something was saved.
@Suite struct PersistenceAtomicDirectoryTests {
  struct SimulatedCrash: Error {}

  /// Writes save number `generation`: three files, one in a subdirectory, each naming the
  /// generation, so a mixture of two saves or a missing file is detectable.
  static func writeSave(_ generation: Int, into staging: URL) throws {
    try Data("generation \(generation)\n".utf8).write(
      to: staging.appendingPathComponent("workspace.json"))
    let models = staging.appendingPathComponent("models")
    try FileManager.default.createDirectory(at: models, withIntermediateDirectories: false)
    let weights = SafeTensor([Float](repeating: Float(generation), count: 1000), shape: [10, 100])
    try SafeTensorsFile(tensors: ["w": weights], metadata: ["generation": "\(generation)"])
      .write(to: models.appendingPathComponent("m.safetensors"))
    try Data("notes of \(generation)\n".utf8).write(to: staging.appendingPathComponent("notes.txt"))
  }

  /// The generation of the complete save at `directory`; fails the test on a partial or mixed save.
  static func readSave(_ directory: URL, sourceLocation: SourceLocation = #_sourceLocation) throws
    -> Int
  {
    let opened = try AtomicDirectory.open(directory)
    let json = try String(
      contentsOf: opened.appendingPathComponent("workspace.json"), encoding: .utf8)
    let generation = try #require(Int(json.dropFirst("generation ".count).dropLast()))
    let file = try SafeTensorsFile(
      contentsOf: opened.appendingPathComponent("models/m.safetensors"))
    #expect(file.metadata["generation"] == "\(generation)", sourceLocation: sourceLocation)
    #expect(
      try file.values("w", as: Float.self, shape: [10, 100]).allSatisfy { $0 == Float(generation) },
      sourceLocation: sourceLocation)
    let notes = try String(contentsOf: opened.appendingPathComponent("notes.txt"), encoding: .utf8)
    #expect(notes == "notes of \(generation)\n", sourceLocation: sourceLocation)
    let entries = try FileManager.default.contentsOfDirectory(atPath: opened.path).sorted()
    #expect(entries == ["models", "notes.txt", "workspace.json"], sourceLocation: sourceLocation)
    return generation
  }

  static func save(
    _ generation: Int, to directory: URL, crashAfter crashStep: AtomicDirectory.Step? = nil
  )
    throws
  {
    try AtomicDirectory.write(
      to: directory,
      afterStep: { step in if step == crashStep { throw SimulatedCrash() } },
      { try writeSave(generation, into: $0) })
  }

  /// Everything in the parent besides the save itself: leftover staging or previous copies.
  static func leftovers(besides directory: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory.deletingLastPathComponent().path)
      .filter { $0 != directory.lastPathComponent }
  }

  /// Runs `body` with a temporary parent directory and the save path `ws` inside it, where
  /// `generation` has been saved unless it is nil.
  static func withWorkspace(saved generation: Int? = 1, _ body: (URL, URL) throws -> Void) throws {
    try withTemporaryDirectory { parent in
      let workspace = parent.appendingPathComponent("ws")
      if let generation { try save(generation, to: workspace) }
      try body(parent, workspace)
    }
  }

  static func isNewSaveVisible(after step: AtomicDirectory.Step) -> Bool {
    step == .newMovedIntoPlace || step == .previousRemoved
  }

  @Test(arguments: AtomicDirectory.Step.allCases)
  func crashAfterStepKeepsACompleteSave(_ step: AtomicDirectory.Step) throws {
    try Self.withWorkspace { _, workspace in
      #expect(throws: SimulatedCrash.self) { try Self.save(2, to: workspace, crashAfter: step) }

      #expect(try Self.readSave(workspace) == (Self.isNewSaveVisible(after: step) ? 2 : 1))
      // Reading twice changes nothing (the recovery, if any, happened once).
      #expect(try Self.readSave(workspace) == (Self.isNewSaveVisible(after: step) ? 2 : 1))

      // The next save cleans up whatever the crash left behind.
      try Self.save(3, to: workspace)
      #expect(try Self.readSave(workspace) == 3)
      #expect(try Self.leftovers(besides: workspace) == [])
    }
  }

  @Test(arguments: AtomicDirectory.Step.allCases)
  func crashDuringAFirstSave(_ step: AtomicDirectory.Step) throws {
    try Self.withWorkspace(saved: nil) { _, workspace in
      #expect(throws: SimulatedCrash.self) { try Self.save(1, to: workspace, crashAfter: step) }
      if Self.isNewSaveVisible(after: step) {
        #expect(try Self.readSave(workspace) == 1)
      } else {
        #expect(throws: AtomicDirectoryError(directory: workspace.path, problem: .notFound)) {
          try AtomicDirectory.open(workspace)
        }
      }
      try Self.save(2, to: workspace)
      #expect(try Self.readSave(workspace) == 2)
      #expect(try Self.leftovers(besides: workspace) == [])
    }
  }

  @Test func stepsRunInTheDocumentedOrder() throws {
    try Self.withWorkspace { _, workspace in
      var seen: [AtomicDirectory.Step] = []
      try AtomicDirectory.write(
        to: workspace, afterStep: { seen.append($0) }, { try Self.writeSave(2, into: $0) })
      #expect(seen == AtomicDirectory.Step.allCases)
      #expect(try Self.readSave(workspace) == 2)
    }
  }

  @Test func failingWriterLeavesThePreviousSaveAndNoStaging() throws {
    struct WriterFailed: Error {}
    // `throws` spelled out: every `try` below is inside a macro, which closure inference misses.
    try Self.withWorkspace { _, workspace throws in
      #expect(throws: WriterFailed.self) {
        try AtomicDirectory.write(to: workspace) { staging in
          try Data("half".utf8).write(to: staging.appendingPathComponent("workspace.json"))
          throw WriterFailed()
        }
      }
      #expect(try Self.readSave(workspace) == 1)
      #expect(try Self.leftovers(besides: workspace) == [])
    }
  }

  /// A process killed while its closure was writing leaves a partial staging directory behind.
  @Test func partialStagingFromAKilledSaveIsIgnoredThenReplaced() throws {
    try Self.withWorkspace { parent, workspace in
      let staging = parent.appendingPathComponent(".ws.psn-staging")
      try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: false)
      try Data("gener".utf8).write(to: staging.appendingPathComponent("workspace.json"))

      #expect(try Self.readSave(workspace) == 1)
      try Self.save(2, to: workspace)
      #expect(try Self.readSave(workspace) == 2)
      #expect(try Self.leftovers(besides: workspace) == [])
    }
  }

  @Test func trailingSlashNamesTheSameSave() throws {
    try withTemporaryDirectory { parent in
      try Self.save(1, to: URL(fileURLWithPath: parent.path + "/ws/"))
      #expect(try Self.readSave(parent.appendingPathComponent("ws")) == 1)
    }
  }

  @Test func openExplainsMissingAndNonDirectoryPaths() throws {
    try withTemporaryDirectory { parent in
      let missing = parent.appendingPathComponent("nothing")
      #expect {
        try AtomicDirectory.open(missing)
      } throws: { error in
        "\(error)" == "\(missing.path): no saved workspace here (check the path, or save one first)"
      }
      let file = parent.appendingPathComponent("file")
      try Data("x".utf8).write(to: file)
      #expect {
        try AtomicDirectory.open(file)
      } throws: { error in
        "\(error)"
          == "\(file.path): exists but is not a directory (choose another name, or move the file away)"
      }
      #expect(throws: AtomicDirectoryError(directory: file.path, problem: .notADirectory)) {
        try Self.save(1, to: file)
      }
    }
  }
}
