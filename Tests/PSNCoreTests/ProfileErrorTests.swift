import Testing

@testable import PSNCore

/// Every way to misstate a profile, with the exact message the user sees.
@Suite struct ProfileErrorTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let id: String
    let build: @Sendable () throws -> Void
    let expected: String
    var testDescription: String { id }
  }

  static let cases: [Case] = [
    Case(
      id: "unknown family, typo",
      build: { _ = try ProfileFamily.named("lognorml") },
      expected: "unknown profile family 'lognorml' (did you mean 'lognormal'?)"),
    Case(
      id: "unknown family, no close name",
      build: { _ = try ProfileFamily.named("zipf") },
      expected: "unknown profile family 'zipf' (should be one of linear, power, exponential,"
        + " sigmoid, gaussian, cosine, step, hyperbolic, lognormal, powerlaw, constant, random,"
        + " dense, expr)"),
    Case(
      id: "cv above 10",
      build: { _ = try ProfileSpec(family: .lognormal, cv: 12) },
      expected: "cv=12 is out of range (cv must be between 0 and 10)"),
    Case(
      id: "negative cv",
      build: { _ = try ProfileSpec(family: .power, cv: -0.5) },
      expected: "cv=-0.5 is out of range (cv must be between 0 and 10)"),
    Case(
      id: "cv on random",
      build: { _ = try ProfileSpec(family: .random, cv: 1) },
      expected: "random does not take cv= (its fan-in CV is whatever uniform sampling gives;"
        + " use a shaped family to set a CV)"),
    Case(
      id: "cv on dense",
      build: { _ = try ProfileSpec(family: .dense, cv: 0) },
      expected: "dense does not take cv= (every neuron has fan-in n_in, so its CV is 0)"),
    Case(
      id: "cv and the solved parameter",
      build: { _ = try ProfileSpec(family: .lognormal, cv: 1, parameters: ["sigma": 1]) },
      expected: "lognormal takes cv= or sigma=, not both (cv= is reached by solving for sigma)"),
    Case(
      id: "unknown parameter, typo",
      build: { _ = try ProfileSpec(family: .lognormal, parameters: ["sigam": 1]) },
      expected: "lognormal has no key 'sigam' (did you mean 'sigma'? lognormal takes: cv, sigma,"
        + " placement, inputs)"),
    Case(
      id: "parameter of another family",
      build: { _ = try ProfileSpec(family: .linear, parameters: ["width": 1]) },
      expected: "linear has no key 'width' (linear takes: cv, slope, placement, inputs)"),
    Case(
      id: "parameter out of its domain",
      build: { _ = try ProfileSpec(family: .gaussian, parameters: ["width": 0]) },
      expected: "gaussian width=0 is out of range (width must be > 0)"),
    Case(
      id: "fraction out of (0, 1)",
      build: { _ = try ProfileSpec(family: .step, parameters: ["fraction": 1]) },
      expected: "step fraction=1 is out of range (fraction must be in (0, 1))"),
    Case(
      id: "non-finite parameter",
      build: { _ = try ProfileSpec(family: .power, parameters: ["exponent": .infinity]) },
      expected: "power exponent=inf is out of range (exponent must be >= 0)"),
    Case(
      id: "placement typo",
      build: { _ = try ProfileSpec(family: "power", settings: [("placement", "shufled")]) },
      expected: "placement=shufled is not a choice (did you mean 'shuffled'? should be one of"
        + " sorted, shuffled)"),
    Case(
      id: "inputs typo",
      build: { _ = try ProfileSpec(family: "power", settings: [("inputs", "stride")]) },
      expected: "inputs=stride is not a choice (did you mean 'strided'? should be one of random,"
        + " strided)"),
    Case(
      id: "not a number",
      build: { _ = try ProfileSpec(family: "lognormal", settings: [("cv", "high")]) },
      expected: "cv=high is not a number (write e.g. cv=1.5)"),
    Case(
      id: "key on random",
      build: { _ = try ProfileSpec(family: "random", settings: [("placement", "sorted")]) },
      expected: "random has no key 'placement' (random takes: none)"),
    Case(
      id: "expression without expr",
      build: { _ = try ProfileSpec(family: .power, expression: "x") },
      expected: "only the expr family takes an expression (power has its own shape; use expr for"
        + " a custom one)"),
    Case(
      id: "expr without expression",
      build: { _ = try ProfileSpec(family: .expr) },
      expected: "the expr family needs an expression of x (for example \"1 + 4*x^2\")"),
    Case(
      id: "malformed expression",
      build: { _ = try ProfileSpec(family: .expr, expression: "1 + (x") },
      expected: "expr:1:7: expected ')' to close the '(' at column 5, but the expression ended"),
    Case(
      id: "sparsity 1",
      build: { _ = try ProfileSpec.budget(sparsity: 1, nIn: 784, nOut: 300) },
      expected: "sparsity=1 is out of range (sparsity is the fraction of weights removed:"
        + " 0 <= sparsity < 1)"),
    Case(
      id: "negative sparsity",
      build: { _ = try ProfileSpec.budget(sparsity: -0.1, nIn: 784, nOut: 300) },
      expected: "sparsity=-0.1 is out of range (sparsity is the fraction of weights removed:"
        + " 0 <= sparsity < 1)"),
    Case(
      id: "budget below n_out",
      build: { _ = try ProfileSpec(family: .constant).fanIns(nIn: 784, nOut: 300, budget: 235) },
      expected: "budget 235 is out of range for 784→300 (it must be between n_out = 300, fan-in 1"
        + " each, and n_in·n_out = 235200)"),
    Case(
      id: "budget above n_in·n_out",
      build: { _ = try ProfileSpec(family: .power).fanIns(nIn: 3, nOut: 2, budget: 7) },
      expected: "budget 7 is out of range for 3→2 (it must be between n_out = 2, fan-in 1 each, and"
        + " n_in·n_out = 6)"),
    Case(
      id: "empty layer",
      build: { _ = try ProfileSpec(family: .power).fanIns(nIn: 0, nOut: 10, budget: 10) },
      expected: "layer 0→10 has no neurons on one side (n_in and n_out must be at least 1)"),
    Case(
      id: "dense with a sparse budget",
      build: { _ = try ProfileSpec(family: .dense).fanIns(nIn: 784, nOut: 300, budget: 23520) },
      expected: "dense keeps all 235200 weights of 784→300, but the budget is 23520 (use"
        + " sparsity=0, or a sparse family such as constant)"),
    Case(
      id: "cv beyond the family",
      build: {
        _ = try ProfileSpec(family: .linear, cv: 1.5).fanIns(nIn: 784, nOut: 300, budget: 23520)
      },
      expected: "linear reaches CV 0.01–0.58 at 784→300 with budget 23520; asked cv=1.5 (try"
        + " lognormal or powerlaw)"),
    Case(
      id: "cv beyond every family",
      build: {
        _ = try ProfileSpec(family: .lognormal, cv: 5).fanIns(nIn: 300, nOut: 100, budget: 3000)
      },
      expected: "lognormal reaches CV 0–2.89 at 300→100 with budget 3000; asked cv=5 (no profile"
        + " exceeds CV 2.91 here, the CV of 9 hubs at n_in = 300 and every other neuron at 1;"
        + " raise the sparsity or lower cv)"),
    Case(
      id: "cv at 99.9% sparsity",
      build: {
        _ = try ProfileSpec(family: .power, cv: 1).fanIns(nIn: 784, nOut: 300, budget: 300)
      },
      expected: "power reaches only CV 0 at 784→300 with budget 300; asked cv=1 (the budget gives"
        + " every neuron exactly one input; lower the sparsity)"),
    Case(
      id: "cv on constant",
      build: {
        _ = try ProfileSpec(family: .constant, cv: 0.5).fanIns(nIn: 300, nOut: 100, budget: 3000)
      },
      expected: "constant reaches only CV 0 at 300→100 with budget 3000; asked cv=0.5 (try"
        + " lognormal or powerlaw)"),
  ]

  @Test(arguments: cases)
  func message(_ c: Case) {
    do {
      try c.build()
      Issue.record("no error")
    } catch let error as ProfileError {
      #expect(error.description == c.expected)
    } catch {
      Issue.record("not a ProfileError: \(error)")
    }
  }

  @Test func closestMatch() {
    #expect(Spelling.closestMatch(to: "lognorml", among: ["lognormal", "linear"]) == "lognormal")
    #expect(Spelling.closestMatch(to: "GAUSIAN", among: ["gaussian"]) == "gaussian")
    #expect(Spelling.closestMatch(to: "foo", among: ["power", "step"]) == nil)
    #expect(Spelling.closestMatch(to: "stp", among: ["step", "sep"]) == "step")  // tie: first
    #expect(Spelling.editDistance(Array("kitten"), Array("sitting")) == 3)
  }

  /// Declarations are consistent: defaults inside their domains, unique keys, help for each.
  @Test(arguments: ProfileFamily.allCases)
  func familyDeclaration(_ family: ProfileFamily) throws {
    #expect(Set(family.keys).count == family.keys.count)
    for p in family.parameters {
      #expect(p.domain.contains(p.defaultValue), "\(p.name)")
      #expect(!p.help.isEmpty && family.help.contains("\(p.name)="), "\(p.name)")
    }
    #expect(family.help.hasPrefix("\(family.rawValue): "))
    #expect((family.shapeParameter != nil) == (family.solveSpan != nil))
    if family != .expr {
      let profile = try ProfileSpec(family: family)
        .fanIns(nIn: 30, nOut: 10, budget: family == .dense ? 300 : 60)
      #expect(profile.fanIns.reduce(0, +) == (family == .dense ? 300 : 60))
    }
  }

  @Test func settingsParseAsTyped() throws {
    let spec = try ProfileSpec(
      family: "Step",
      settings: [
        ("cv", "1.5"), ("fraction", "0.2"), ("placement", "shuffled"), ("inputs", "strided"),
      ])
    #expect(spec.family == .step && spec.cv == 1.5 && spec.parameters == ["fraction": 0.2])
    #expect(spec.placement == .shuffled && spec.inputs == .strided)
    #expect(ProfileFamily.lognormal.keys == ["cv", "sigma", "placement", "inputs"])
    #expect(ProfileFamily.random.keys.isEmpty)
  }
}
