/// Everything that can go wrong when a profile is specified or built. Each message has the form
/// "what (fix)"; the shell prefixes the place (`sweep.psn:12: …`).
public enum ProfileError: Error, CustomStringConvertible, Equatable, Sendable {
  case unknownFamily(String, suggestion: String?)
  /// A `key=` the family does not take.
  case unknownKey(family: ProfileFamily, key: String, suggestion: String?)
  case notANumber(key: String, value: String)
  case parameterOutOfDomain(
    family: ProfileFamily, name: String, value: Double, domain: ParameterDomain)
  case cvOutOfRange(Double)
  /// Both `cv=` and the parameter it would solve for were given.
  case cvWithShapeParameter(family: ProfileFamily, parameter: String)
  case cvNotAccepted(ProfileFamily)
  case cvUnreachable(CVRefusal)
  /// A `placement=` or `inputs=` value that is not one of the choices.
  case unknownChoice(key: String, value: String, choices: [String], suggestion: String?)
  case expressionMissing
  case expressionNotAccepted(ProfileFamily)
  case expressionSyntax(ExpressionSyntaxError)
  /// The expression parsed but its values cannot be a shape (negative, NaN, zero everywhere…).
  case expressionValue(String)
  case invalidLayer(nIn: Int, nOut: Int)
  case budgetOutOfRange(budget: Int, nIn: Int, nOut: Int)
  case sparsityOutOfRange(Double)
  case denseBudget(budget: Int, nIn: Int, nOut: Int)

  public var description: String {
    switch self {
    case .unknownFamily(let name, let suggestion):
      let fix = suggestion.map { "did you mean '\($0)'?" } ?? "should be one of " + familyList
      return "unknown profile family '\(name)' (\(fix))"
    case .unknownKey(let family, let key, let suggestion):
      let keys = family.keys.isEmpty ? "none" : family.keys.joined(separator: ", ")
      let fix = suggestion.map { "did you mean '\($0)'? " } ?? ""
      return "\(family.rawValue) has no key '\(key)' (\(fix)\(family.rawValue) takes: \(keys))"
    case .notANumber(let key, let value):
      return "\(key)=\(value) is not a number (write e.g. \(key)=1.5)"
    case .parameterOutOfDomain(let family, let name, let value, let domain):
      return "\(family.rawValue) \(name)=\(ProfileMath.echo(value)) is out of range"
        + " (\(name) must be \(domain))"
    case .cvOutOfRange(let cv):
      return "cv=\(ProfileMath.echo(cv)) is out of range (cv must be between 0 and 10)"
    case .cvWithShapeParameter(let family, let parameter):
      return "\(family.rawValue) takes cv= or \(parameter)=, not both"
        + " (cv= is reached by solving for \(parameter))"
    case .cvNotAccepted(let family):
      let why =
        family == .random
        ? "its fan-in CV is whatever uniform sampling gives; use a shaped family to set a CV"
        : "every neuron has fan-in n_in, so its CV is 0"
      return "\(family.rawValue) does not take cv= (\(why))"
    case .cvUnreachable(let refusal):
      return refusal.description
    case .unknownChoice(let key, let value, let choices, let suggestion):
      let fix = suggestion.map { "did you mean '\($0)'? " } ?? ""
      return "\(key)=\(value) is not a choice (\(fix)should be one of "
        + choices.joined(separator: ", ") + ")"
    case .expressionMissing:
      return "the expr family needs an expression of x (for example \"1 + 4*x^2\")"
    case .expressionNotAccepted(let family):
      return "only the expr family takes an expression (\(family.rawValue) has its own shape;"
        + " use expr for a custom one)"
    case .expressionSyntax(let error):
      return error.description
    case .expressionValue(let message):
      return message
    case .invalidLayer(let nIn, let nOut):
      return "layer \(nIn)→\(nOut) has no neurons on one side (n_in and n_out must be at least 1)"
    case .budgetOutOfRange(let budget, let nIn, let nOut):
      return "budget \(budget) is out of range for \(nIn)→\(nOut) (it must be between"
        + " n_out = \(nOut), fan-in 1 each, and n_in·n_out = \(nIn * nOut))"
    case .sparsityOutOfRange(let s):
      return "sparsity=\(ProfileMath.echo(s)) is out of range"
        + " (sparsity is the fraction of weights removed: 0 <= sparsity < 1)"
    case .denseBudget(let budget, let nIn, let nOut):
      return "dense keeps all \(nIn * nOut) weights of \(nIn)→\(nOut), but the budget is \(budget)"
        + " (use sparsity=0, or a sparse family such as constant)"
    }
  }

  private var familyList: String {
    ProfileFamily.allCases.map(\.rawValue).joined(separator: ", ")
  }
}

/// Why a `cv=` target was refused: the range the family reaches at this layer and budget, and
/// which families would reach the target instead.
public struct CVRefusal: Sendable, Equatable, CustomStringConvertible {
  public let family: ProfileFamily
  public let asked: Double
  /// Smallest and largest achieved CV found over the family's parameter range.
  public let reachable: ClosedRange<Double>
  /// The achieved CV closest to `asked`.
  public let closest: Double
  public let nIn: Int
  public let nOut: Int
  public let budget: Int
  /// The CV of the most unequal fan-ins the budget allows (as many neurons at n_in as fit, the
  /// rest at 1): no family can exceed it.
  public let layerMaximum: Double
  /// Families (with default secondary parameters) whose range includes `asked`.
  public let alternatives: [ProfileFamily]

  public var description: String {
    let lo = ProfileMath.decimal(reachable.lowerBound)
    let hi = ProfileMath.decimal(reachable.upperBound)
    let range = lo == hi ? "only CV \(lo)" : "CV \(lo)–\(hi)"
    let place = "at \(nIn)→\(nOut) with budget \(budget)"
    let askedText = "cv=\(ProfileMath.echo(asked))"
    let others = alternatives.map { " or \($0.rawValue)" }.joined()
    let tolerance = ProfileSpec.cvTolerance
    if reachable.lowerBound - tolerance <= asked, asked <= reachable.upperBound + tolerance {
      return "\(family.rawValue) reaches \(range) \(place), but not \(askedText): rounding to"
        + " integer fan-ins makes its CV jump over it (try cv=\(ProfileMath.decimal(closest))\(others))"
    }
    let fix: String
    if asked > layerMaximum {
      // Fewer sparse neurons leave more budget for hubs, so a sparser layer allows a higher CV,
      // down to the point where not even one neuron can be filled to n_in.
      let hubs = nIn > 1 ? (budget - nOut) / (nIn - 1) : 0
      let most = ProfileMath.decimal(layerMaximum)
      fix =
        budget == nOut
        ? "the budget gives every neuron exactly one input; lower the sparsity"
        : hubs == 0
          ? "no profile exceeds CV \(most) here; lower the sparsity or lower cv"
          : "no profile exceeds CV \(most) here, the CV of \(hubs) hubs at n_in = \(nIn) and every"
            + " other neuron at 1; raise the sparsity or lower cv"
    } else if !alternatives.isEmpty {
      fix = "try " + alternatives.map(\.rawValue).joined(separator: " or ")
    } else {
      fix = "choose cv in that range or change the family's parameters"
    }
    return "\(family.rawValue) reaches \(range) \(place); asked \(askedText) (\(fix))"
  }
}
