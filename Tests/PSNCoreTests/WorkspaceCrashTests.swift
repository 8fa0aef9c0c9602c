import Foundation
import Testing

@testable import PSNCore

/// A save stopped after any of AtomicDirectory's write steps, as a crash or a kill would stop
/// it, leaves a workspace that opens to the earlier save or to the new one, whole.
@Suite struct WorkspaceCrashTests {
  struct SimulatedCrash: Error {}

  @Test(arguments: AtomicDirectory.Step.allCases)
  func interruptedSaveLeavesAReadableSave(_ step: AtomicDirectory.Step) throws {
    let earlier = try WorkspaceExample.make()
    var later = earlier
    later.runs.removeFirst()
    later.variables = ["seed": "8"]
    try WorkspaceExample.withSaved(earlier) { workspace, parent in
      #expect(throws: SimulatedCrash.self) {
        try WorkspaceArchive.save(
          later, to: workspace,
          afterStep: { if $0 == step { throw SimulatedCrash() } })
      }
      let newIsVisible = step == .newMovedIntoPlace || step == .previousRemoved
      let opened = try WorkspaceArchive.open(workspace)
      #expect(opened == (newIsVisible ? later : earlier))
      #expect(
        WorkspaceExample.bits(opened) == WorkspaceExample.bits(newIsVisible ? later : earlier))

      // The next save finishes cleanly and clears what the crash left.
      try WorkspaceArchive.save(later, to: workspace)
      #expect(try WorkspaceArchive.open(workspace) == later)
      #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["ws"])
    }
  }

  @Test(arguments: AtomicDirectory.Step.allCases)
  func interruptedFirstSaveLeavesNothingOrTheWholeSave(_ step: AtomicDirectory.Step) throws {
    let snapshot = try WorkspaceExample.make()
    try withTemporaryDirectory { parent throws in
      let workspace = parent.appendingPathComponent("ws")
      #expect(throws: SimulatedCrash.self) {
        try WorkspaceArchive.save(
          snapshot, to: workspace, afterStep: { if $0 == step { throw SimulatedCrash() } })
      }
      if step == .newMovedIntoPlace || step == .previousRemoved {
        #expect(try WorkspaceArchive.open(workspace) == snapshot)
      } else {
        #expect(
          throws: WorkspaceArchiveError(
            file: workspace.path,
            problem: .storage(AtomicDirectoryError(directory: workspace.path, problem: .notFound)))
        ) { try WorkspaceArchive.open(workspace) }
      }
    }
  }
}
