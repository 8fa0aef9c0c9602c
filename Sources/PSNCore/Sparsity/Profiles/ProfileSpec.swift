/// A profile as the user states it: a family, either a target `cv=` or explicit parameters, and how
/// fan-ins map to neurons and inputs. Validated on construction; building it for a layer
/// (`fanIns`, `mask`) happens in ProfileSpec+Build.swift.
public struct ProfileSpec: Sendable, Equatable {
  public let family: ProfileFamily
  /// Target CV of the layer's integer fan-ins, in [0, 10]; nil uses the parameters as given.
  public let cv: Double?
  /// Parameters given explicitly; the rest take the family's defaults (and the shape parameter
  /// is solved for when `cv` is set).
  public let parameters: [String: Double]
  /// The source of an `expr` shape.
  public let expression: String?
  public let placement: HubPlacement
  public let inputs: InputSelection
  let parsedExpression: ShapeExpression?

  /// The range `cv=` must lie in.
  public static let cvDomain: ClosedRange<Double> = 0...10

  public init(
    family: ProfileFamily, cv: Double? = nil, parameters: [String: Double] = [:],
    expression: String? = nil, placement: HubPlacement = .sorted,
    inputs: InputSelection = .random
  ) throws(ProfileError) {
    if let cv {
      guard family.acceptsCV else { throw .cvNotAccepted(family) }
      guard cv.isFinite, Self.cvDomain.contains(cv) else { throw .cvOutOfRange(cv) }
    }
    for name in parameters.keys.sorted() {
      guard let parameter = family.parameters.first(where: { $0.name == name }) else {
        throw .unknownKey(
          family: family, key: name,
          suggestion: Spelling.closestMatch(to: name, among: family.keys))
      }
      let value = parameters[name]!
      guard parameter.domain.contains(value) else {
        throw .parameterOutOfDomain(
          family: family, name: name, value: value, domain: parameter.domain)
      }
    }
    if cv != nil, let shape = family.shapeParameter, parameters[shape.name] != nil {
      throw .cvWithShapeParameter(family: family, parameter: shape.name)
    }
    switch (family, expression) {
    case (.expr, nil): throw .expressionMissing
    case (.expr, let source?):
      do {
        parsedExpression = try ShapeExpression(parsing: source)
      } catch {
        throw .expressionSyntax(error)
      }
    case (_, nil): parsedExpression = nil
    case (_, .some): throw .expressionNotAccepted(family)
    }
    self.family = family
    self.cv = cv
    self.parameters = parameters
    self.expression = expression
    self.placement = placement
    self.inputs = inputs
  }

  /// Builds a spec from words as typed: a family name and `key=value` settings (`cv`, the family's
  /// parameters, `placement`, `inputs`), in order; a repeated key keeps its last value.
  public init(
    family name: String, settings: [(key: String, value: String)], expression: String? = nil
  ) throws(ProfileError) {
    let family = try ProfileFamily.named(name)
    var cv: Double?
    var parameters: [String: Double] = [:]
    var placement = HubPlacement.sorted
    var inputs = InputSelection.random
    for (key, value) in settings {
      guard family.keys.contains(key) else {
        throw .unknownKey(
          family: family, key: key, suggestion: Spelling.closestMatch(to: key, among: family.keys))
      }
      switch key {
      case "placement": placement = try HubPlacement.named(value)
      case "inputs": inputs = try InputSelection.named(value)
      default:
        guard let number = Double(value), number.isFinite else {
          throw .notANumber(key: key, value: value)
        }
        if key == "cv" { cv = number } else { parameters[key] = number }
      }
    }
    try self.init(
      family: family, cv: cv, parameters: parameters, expression: expression,
      placement: placement, inputs: inputs)
  }

  /// Every parameter of the family with the value this spec uses, before any cv= solve.
  var resolvedParameters: [String: Double] {
    family.defaults.merging(parameters) { _, given in given }
  }
}
