/// The profile families: how a layer's fan-in budget is shared among its neurons.
///
/// Each family is declared once here (name, one-line summary, formula, parameters with defaults
/// and domains); `help`, key validation and completion in the shell are derived from this table.
/// The formulas are written up in docs/profiles.md.
public enum ProfileFamily: String, CaseIterable, Sendable, Codable {
  case linear, power, exponential, sigmoid, gaussian, cosine, step, hyperbolic
  case lognormal, powerlaw
  case constant, random, dense
  case expr

  /// Parses a family name, suggesting the closest one for a typo.
  public static func named(_ name: String) throws(ProfileError) -> ProfileFamily {
    if let family = ProfileFamily(rawValue: name.lowercased()) { return family }
    let names = allCases.map(\.rawValue)
    throw .unknownFamily(name, suggestion: Spelling.closestMatch(to: name, among: names))
  }

  /// The parameter that `cv=` solves for: the one that moves the shape's heterogeneity. Nil for
  /// families with nothing to solve (`constant`, `random`, `dense`).
  public var shapeParameter: ProfileParameter? {
    switch self {
    case .linear:
      return .init(
        name: "slope", defaultValue: 4, domain: .atLeast(0),
        help: "rise of g over the layer: g(1)/g(0) = 1 + slope")
    case .power:
      return .init(
        name: "exponent", defaultValue: 2, domain: .atLeast(0),
        help: "power of x: 0 is constant, larger puts more budget on the last neurons")
    case .exponential:
      return .init(
        name: "rate", defaultValue: 3, domain: .atLeast(0),
        help: "growth rate: g(1)/g(0) = e^rate")
    case .sigmoid:
      return .init(
        name: "steepness", defaultValue: 10, domain: .atLeast(0),
        help: "how sharp the switch from sparse to dense is at x = center")
    case .gaussian:
      return .init(
        name: "width", defaultValue: 0.15, domain: .above(0),
        help: "standard deviation of the bell, in units of the layer (x in [0, 1])")
    case .cosine:
      return .init(
        name: "sharpness", defaultValue: 1, domain: .atLeast(0),
        help: "how concentrated each hub cluster is (0 is constant)")
    case .step:
      return .init(
        name: "ratio", defaultValue: 4, domain: .atLeast(1),
        help: "hub fan-in / non-hub fan-in before clipping")
    case .hyperbolic:
      return .init(
        name: "offset", defaultValue: 0.1, domain: .above(0),
        help: "theta in 1/(x + theta): small is Zipf-like, large is nearly constant")
    case .lognormal:
      return .init(
        name: "sigma", defaultValue: 0.8, domain: .atLeast(0),
        help: "standard deviation of ln(fan-in) of the quantiles")
    case .powerlaw:
      return .init(
        name: "alpha", defaultValue: 3, domain: .above(0),
        help: "Pareto tail index: smaller is heavier-tailed")
    case .expr:
      return .init(
        name: "exponent", defaultValue: 1, domain: .atLeast(0),
        help: "fan-ins follow g(x)^exponent; 1 is the expression as written")
    case .constant, .random, .dense:
      return nil
    }
  }

  /// Parameters that shape the profile but are not solved for; they keep their defaults unless set.
  public var secondaryParameters: [ProfileParameter] {
    func center(_ help: String) -> ProfileParameter {
      ProfileParameter(
        name: "center", defaultValue: 0.5,
        domain: ParameterDomain(lower: 0, lowerIncluded: true, upper: 1, upperIncluded: true),
        help: help)
    }
    switch self {
    case .sigmoid:
      return [center("position x of the switch")]
    case .gaussian:
      return [center("position x of the bell's peak")]
    case .cosine:
      return [
        .init(
          name: "cycles", defaultValue: 4, domain: .above(0),
          help: "number of hub clusters across the layer (peaks at x = (m + 0.5)/cycles)")
      ]
    case .step:
      return [
        .init(
          name: "fraction", defaultValue: 0.1,
          domain: ParameterDomain(lower: 0, lowerIncluded: false, upper: 1, upperIncluded: false),
          help: "share of neurons that are hubs (the last ones, x > 1 - fraction)")
      ]
    default:
      return []
    }
  }

  /// Shape parameter first, then the secondary ones.
  public var parameters: [ProfileParameter] {
    (shapeParameter.map { [$0] } ?? []) + secondaryParameters
  }

  public var parameterNames: [String] { parameters.map(\.name) }

  public var defaults: [String: Double] {
    Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.defaultValue) })
  }

  /// Whether `cv=` can be asked of this family.
  public var acceptsCV: Bool { hasShape }

  /// Whether the family builds fan-ins from a shape, so that hub placement and input selection
  /// apply. `random` draws whole positions and `dense` keeps everything, so neither has them.
  public var hasShape: Bool { self != .random && self != .dense }

  /// Every `key=` a profile of this family accepts, in the order `help` lists them.
  public var keys: [String] {
    hasShape ? ["cv"] + parameterNames + ["placement", "inputs"] : []
  }

  /// One line for a list of families.
  public var summary: String {
    switch self {
    case .linear: return "fan-in rising linearly across the layer; hubs at the end"
    case .power: return "x^exponent: fan-in concentrated on the last neurons"
    case .exponential: return "exponentially rising fan-in; hubs at the end"
    case .sigmoid: return "a smooth switch from sparse to dense neurons at x = center"
    case .gaussian: return "a bell of hubs around x = center (the middle by default)"
    case .cosine: return "periodic hub clusters, `cycles` of them"
    case .step: return "a fraction of hub neurons at `ratio` times the fan-in of the rest"
    case .hyperbolic: return "Zipf-like 1/(x + offset): hubs at the start, a long sparse tail"
    case .lognormal: return "fan-ins proportional to quantiles of a lognormal law"
    case .powerlaw: return "fan-ins proportional to quantiles of a Pareto law"
    case .constant: return "every neuron the same fan-in (CV 0)"
    case .random: return "uniform random baseline: the budget at uniformly random positions"
    case .dense: return "every connection kept (no sparsity)"
    case .expr: return "a shape g(x) you write, e.g. \"1 + 4*x^2\""
    }
  }

  /// The shape g(x), up to scale, at position x in (0, 1).
  public var formula: String {
    switch self {
    case .linear: return "g(x) = 1 + slope*x"
    case .power: return "g(x) = x^exponent"
    case .exponential: return "g(x) = exp(rate*x)"
    case .sigmoid: return "g(x) = 1/(1 + exp(-steepness*(x - center)))"
    case .gaussian: return "g(x) = exp(-(x - center)^2 / (2*width^2))"
    case .cosine: return "g(x) = exp(-sharpness*cos(2*pi*cycles*x))"
    case .step: return "g(x) = ratio if x > 1 - fraction, else 1"
    case .hyperbolic: return "g(x) = 1/(x + offset)"
    case .lognormal: return "g(x) = exp(sigma * Phi^-1(x))   (lognormal quantile)"
    case .powerlaw: return "g(x) = (1 - x)^(-1/alpha)   (Pareto quantile)"
    case .constant: return "g(x) = 1"
    case .random: return "no shape: nnz positions drawn uniformly from the n_out x n_in matrix"
    case .dense: return "k_j = n_in for every neuron"
    case .expr: return "g(x) = (your expression)^exponent"
    }
  }

  /// Help text: summary, formula, then one line per key with its default.
  public var help: String {
    var lines = ["\(rawValue): \(summary)", "  \(formula)"]
    func key(_ name: String, _ text: String) {
      let padded = name + "=" + String(repeating: " ", count: max(1, 11 - name.count))
      lines.append("  " + padded + text)
    }
    if let shape = shapeParameter {
      key("cv", "target fan-in CV in [0, 10], reached by solving for \(shape.name) (default: none)")
    } else if acceptsCV {
      key("cv", "target fan-in CV: only the most even integer fan-ins, CV ≈ 0 (default: none)")
    }
    for p in parameters {
      key(p.name, "\(p.help) (default \(ProfileMath.echo(p.defaultValue)), \(p.domain))")
    }
    if hasShape {
      key("placement", "sorted | shuffled: which neurons get the hub fan-ins (default sorted)")
      key("inputs", "random | strided: which inputs each neuron reads (default random)")
    }
    return lines.joined(separator: "\n")
  }
}
