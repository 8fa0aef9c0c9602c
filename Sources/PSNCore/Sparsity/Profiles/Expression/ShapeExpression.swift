#if canImport(Glibc)
  import Glibc
#else
  import Darwin
#endif

/// A user-written shape g(x): a small arithmetic language over one variable, parsed once into this
/// tree and evaluated at every neuron position.
///
/// Grammar (lowest precedence first; `^` is right-associative and binds tighter than unary minus,
/// so `-x^2` is `-(x^2)` and `2^-x` is `2^(-x)`):
///
///     sum     := product (("+" | "-") product)*
///     product := unary (("*" | "/") unary)*
///     unary   := ("-" | "+") unary | power
///     power   := atom ("^" unary)?
///     atom    := number | "x" | "pi" | function "(" sum ("," sum)* ")" | "(" sum ")"
///
/// Numbers are decimal with an optional exponent (`2`, `0.5`, `.5`, `1e-3`). Functions: exp, log
/// (natural), sqrt, sin, cos, abs, min(a, b), max(a, b).
public indirect enum ShapeExpression: Sendable, Equatable {
  case number(Double)
  case x
  case negate(ShapeExpression)
  case binary(BinaryOperator, ShapeExpression, ShapeExpression)
  case call(ShapeFunction, [ShapeExpression])

  public enum BinaryOperator: Character, Sendable, Equatable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case power = "^"
  }

  /// Parses `source`; errors carry the 1-based column of the offending character.
  public init(parsing source: String) throws(ExpressionSyntaxError) {
    var parser = try ShapeExpressionParser(source)
    self = try parser.parseExpression()
  }

  /// g(x) in IEEE arithmetic: log(-1), sqrt(-1) and 0/0 give NaN, 1/0 gives inf; the profile
  /// builder rejects such values with the neuron where they occurred.
  public func evaluate(at x: Double) -> Double {
    switch self {
    case .number(let value): return value
    case .x: return x
    case .negate(let e): return -e.evaluate(at: x)
    case .binary(let op, let a, let b):
      let (u, v) = (a.evaluate(at: x), b.evaluate(at: x))
      switch op {
      case .add: return u + v
      case .subtract: return u - v
      case .multiply: return u * v
      case .divide: return u / v
      case .power: return powOf(u, v)
      }
    case .call(let f, let arguments):
      return f.apply(arguments.map { $0.evaluate(at: x) })
    }
  }

  /// Whether the tree mentions x at all (an expression without x is constant).
  public var dependsOnX: Bool {
    switch self {
    case .number: return false
    case .x: return true
    case .negate(let e): return e.dependsOnX
    case .binary(_, let a, let b): return a.dependsOnX || b.dependsOnX
    case .call(_, let arguments): return arguments.contains { $0.dependsOnX }
    }
  }
}

/// The functions an expression may call.
public enum ShapeFunction: String, CaseIterable, Sendable, Equatable {
  case exp, log, sqrt, sin, cos, abs, min, max

  public var arity: Int {
    switch self {
    case .min, .max: return 2
    default: return 1
    }
  }

  func apply(_ a: [Double]) -> Double {
    switch self {
    case .exp: return expOf(a[0])
    case .log: return logOf(a[0])
    case .sqrt: return a[0].squareRoot()
    case .sin: return sinOf(a[0])
    case .cos: return cosOf(a[0])
    case .abs: return Swift.abs(a[0])
    // NaN propagates rather than being silently dropped, so a bad branch is reported.
    case .min: return a[0].isNaN || a[1].isNaN ? .nan : Swift.min(a[0], a[1])
    case .max: return a[0].isNaN || a[1].isNaN ? .nan : Swift.max(a[0], a[1])
    }
  }
}

// The C math functions under names that `ShapeFunction`'s cases (exp, log, …) do not shadow.
private func expOf(_ x: Double) -> Double { exp(x) }
private func logOf(_ x: Double) -> Double { log(x) }
private func sinOf(_ x: Double) -> Double { sin(x) }
private func cosOf(_ x: Double) -> Double { cos(x) }
private func powOf(_ x: Double, _ y: Double) -> Double { pow(x, y) }

/// A syntax error at a column of the expression, e.g. `expr:1:7: expected ')'`.
public struct ExpressionSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
  /// 1-based character column in `source`.
  public let column: Int
  public let message: String
  public let source: String

  public var description: String { "expr:1:\(column): \(message)" }

  /// The source line and a caret under the column, for a terminal.
  public var pointer: String {
    source + "\n" + String(repeating: " ", count: column - 1) + "^"
  }
}
