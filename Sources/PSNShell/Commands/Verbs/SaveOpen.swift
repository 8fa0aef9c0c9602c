import Foundation
import PSNCore

extension CommandSpec {
  static let save = CommandSpec(
    "save", group: .workspace, summary: "write the whole workspace to a directory, atomically",
    details: """
      Models (weights, masks), runs (history, optimizer and generator state, mask updates, neuron
      statistics), profiles, dataset requests, variables, and a copy of the results database
      (results.sqlite; open adds its runs to the current one). The previous save in DIR stays whole
      until the new one is complete. Tensors are safetensors files Python can read
      (docs/workspace.md). A directory that is not a psn save is never replaced.
      """,
    positionals: [PositionalSpec("dir", .path, "the directory to write")],
    examples: ["save runs/today"],
    handler: { ctx in
      let dir = ctx.invocation.positional("dir")!
      let url = URL(fileURLWithPath: ctx.interpreter.resolvePath(dir.value))
      let snapshot = try ctx.workspace.snapshot()
      do {
        try WorkspaceArchive.save(snapshot, to: url, alsoWriting: { staging in
          try ctx.interpreter.results.copy(to: staging.appendingPathComponent(ResultsSession.savedFileName).path)
        })
      } catch {
        throw ShellError("cannot save to \(dir.value): \(error)", at: dir.location)
      }
      let count = ctx.workspace.names.count
      ctx.print("saved \(count) object\(count == 1 ? "" : "s") to \(url.path)")
      return .obj([("saved", url.path.json), ("objects", count.json)])
    })

  static let open = CommandSpec(
    "open", group: .workspace, summary: "replace the workspace with one saved by save",
    details: """
      Datasets are loaded again from the files they came from and checked against their
      fingerprints. If anything is missing, damaged or changed, nothing is replaced.
      """,
    positionals: [PositionalSpec("dir", .path, "a directory written by save")],
    examples: ["open runs/today"],
    handler: { ctx in
      let dir = ctx.invocation.positional("dir")!
      let url = URL(fileURLWithPath: ctx.interpreter.resolvePath(dir.value))
      let workspace: Workspace
      do {
        workspace = try Workspace(try WorkspaceArchive.open(url), environment: ctx.interpreter.environment)
      } catch {
        throw ShellError("cannot open \(dir.value): \(error)", at: dir.location)
      }
      let savedResults = url.appendingPathComponent(ResultsSession.savedFileName).path
      if FileManager.default.fileExists(atPath: savedResults) {
        _ = try ctx.interpreter.results.adopt(savedCopy: savedResults, ctx.interpreter)
      }
      ctx.workspace = workspace
      let count = workspace.names.count
      ctx.print("opened \(url.path): \(count) object\(count == 1 ? "" : "s")" + (count > 0 ? " (" + workspace.names.joined(separator: ", ") + ")" : ""))
      return .obj([("opened", url.path.json), ("objects", .array(workspace.names.map { .string($0) }))])
    })
}
