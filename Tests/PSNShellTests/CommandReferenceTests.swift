import Foundation
import Testing

@testable import PSNShell

/// docs/commands.md is generated from the declarations; this keeps it in step with the code.
/// `PSN_RECORD=1 scripts/test --filter CommandReference` rewrites it.
@Suite struct CommandReferenceTests {
  @Test func docsCommandsMatchesTheDeclarations() throws {
    let url = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("docs/commands.md")
    let generated = Help.reference(.standard)
    if ProcessInfo.processInfo.environment["PSN_RECORD"] == "1" {
      try generated.write(to: url, atomically: true, encoding: .utf8)
    }
    let onDisk = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    #expect(onDisk == generated, "docs/commands.md is out of date: PSN_RECORD=1 scripts/test --filter CommandReference")
  }
}
