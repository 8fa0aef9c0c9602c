import PSNCore

extension CommandSpec {
  /// Analysis views under `show` (docs/analysis.md, docs/rigl.md).
  static let analysisShowCommands: [CommandSpec] = [
    showFanIn, showProfileCurve, showHubs, showNeuron, showGradients, showRigL, showEquilibrium,
  ]

  /// Analysis verbs: `analyze hierarchy|equilibrium RUN...`.
  static let analysisCommands: [CommandSpec] = [analyze]

  static let analyze = CommandSpec(
    "analyze", group: .analysis, summary: "compare runs: gradient hierarchy against fan-in CV, RigL equilibria side by side",
    details: "Definitions: docs/analysis.md (hierarchy) and docs/rigl.md (equilibrium). With no RUN, every run that qualifies is used.",
    subcommands: [analyzeHierarchy, analyzeEquilibrium], subcommandNoun: "analysis",
    examples: ["analyze hierarchy", "analyze hierarchy run1 run2 run3 layer=1,2", "analyze equilibrium run1 run2"])
}
