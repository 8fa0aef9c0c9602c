import PSNCore

extension CommandSpec {
  static let ls = CommandSpec(
    "ls", aliases: ["workspace"], group: .workspace, summary: "list the workspace's objects (* marks the current ones)",
    examples: ["ls"],
    handler: { ctx in
      let ws = ctx.workspace
      guard !ws.names.isEmpty else {
        ctx.print("the workspace is empty (start with: load fashion)")
        return .obj([("objects", .array([]))])
      }
      var table = Table(["", "name", "kind", "description"], alignments: [.left, .left, .left, .left])
      var items: [JSONValue] = []
      for name in ws.names {
        let object = ws[name]!
        let isCurrent = ws.current[object.kind] == name
        let text = summary(of: object)
        table.add([isCurrent ? "*" : "", name, object.kind.rawValue, text])
        items.append(.obj([("name", name.json), ("kind", object.kind.rawValue.json), ("current", .bool(isCurrent)), ("description", text.json)]))
      }
      ctx.print(table.render())
      return .obj([("objects", .array(items))])
    })

  /// One line about an object, for `ls`.
  static func summary(of object: WorkspaceObject) -> String {
    switch object {
    case .dataset(let d):
      return "\(d.data.name): \(d.data.train.count) train, \(d.data.test.count) test, \(d.data.featureCount) features, \(d.data.classCount) classes"
    case .profile(let p):
      return "\(p.description) for \(p.sizes.map(String.init).joined(separator: "-"))"
    case .model(let m):
      let kind = m.model.layers.contains(where: \.isSparse) ? "sparsity \(Format.fixed(m.model.sparsity, 3)) (\(m.profileDescription ?? "masked"))" : "dense"
      return "\(describe(m.model)), \(kind)" + (m.lastRun.map { ", trained by \($0)" } ?? "")
    case .run(let r):
      let status = r.isFinished ? "test \(Format.percent(r.testAccuracy))" : "interrupted at epoch \(r.state.epochsDone + 1)"
      return "\(r.method.rawValue) \(r.modelName) on \(r.datasetName), \(r.state.epochsDone)/\(r.config.epochs) epochs, \(status)"
    }
  }

  static let use = CommandSpec(
    "use", group: .workspace, summary: "make an object the current one of its kind",
    positionals: [PositionalSpec("name", .name(nil), "the object")],
    examples: ["use m2", "use fashion"],
    handler: { ctx in
      let name = ctx.invocation.positional("name")!
      guard let object = ctx.workspace[name.value] else {
        throw ShellError(ctx.workspace.missing(name.value, kind: nil).message, at: name.location)
      }
      ctx.workspace.current[object.kind] = name.value
      ctx.print("current \(object.kind.rawValue): \(name.value)")
      return .obj([("current", name.value.json), ("kind", object.kind.rawValue.json)])
    })

  static let rename = CommandSpec(
    "rename", group: .workspace, summary: "rename an object (references to it follow)",
    positionals: [PositionalSpec("old", .name(nil), "its name now"), PositionalSpec("new", .text, "its new name")],
    examples: ["rename run1 baseline"],
    handler: { ctx in
      let old = ctx.invocation.positional("old")!
      let new = ctx.invocation.positional("new")!
      do {
        try ctx.workspace.rename(old.value, to: new.value)
      } catch {
        throw ShellError(error, at: old.location)
      }
      ctx.print("renamed \(old.value) to \(new.value)")
      return .obj([("old", old.value.json), ("new", new.value.json)])
    })

  static let drop = CommandSpec(
    "drop", group: .workspace, summary: "remove objects from the workspace",
    positionals: [PositionalSpec("names", .name(nil), "the objects", variadic: true)],
    examples: ["drop run1 run2"],
    handler: { ctx in
      for name in ctx.invocation.positionals {
        do {
          try ctx.workspace.drop(name.value)
        } catch {
          throw ShellError(error, at: name.location)
        }
      }
      return .obj([("dropped", .array(ctx.invocation.positionals.map { .string($0.value) }))])
    })
}
