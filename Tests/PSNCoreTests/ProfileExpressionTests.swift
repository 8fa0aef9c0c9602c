import Testing

@testable import PSNCore

#if canImport(Glibc)
  import Glibc
#else
  import Darwin
#endif

@Suite struct ProfileExpressionTests {
  struct Value: CustomTestStringConvertible, Sendable {
    let source: String
    let x: Double
    let expected: Double
    var testDescription: String { "\(source) at x=\(x)" }
  }

  static let values: [Value] = [
    Value(source: "1 + 4*x^2", x: 0.5, expected: 2),
    Value(source: "-x^2", x: 3, expected: -9),  // ^ binds tighter than unary minus
    Value(source: "2^3^2", x: 0, expected: 512),  // right-associative
    Value(source: "2^-1", x: 0, expected: 0.5),  // a signed exponent
    Value(source: "(-2)^2", x: 0, expected: 4),
    Value(source: "1e-3 + .5 + 2E2", x: 0, expected: 200.501),
    Value(source: "10 - 4 - 3", x: 0, expected: 3),  // left-associative
    Value(source: "12 / 3 / 2", x: 0, expected: 2),
    Value(source: "2 + 3*4", x: 0, expected: 14),
    Value(source: "-(x - 1) * --2", x: 3, expected: -4),
    Value(source: "exp(0) + log(1) + sqrt(16) + abs(-2)", x: 0, expected: 7),
    Value(source: "sin(pi/2) + cos(0)", x: 0, expected: 2),
    Value(source: "min(x, 0.3) + max(x, 0.3)", x: 0.7, expected: 1),
    Value(source: "  X*PI  ", x: 1, expected: Double.pi),
  ]

  @Test(arguments: values)
  func evaluates(_ v: Value) throws {
    let e = try ShapeExpression(parsing: v.source)
    #expect(abs(e.evaluate(at: v.x) - v.expected) < 1e-12)
  }

  struct SyntaxCase: CustomTestStringConvertible, Sendable {
    let source: String
    let message: String
    var testDescription: String { "'\(source)'" }
  }

  static let syntaxErrors: [SyntaxCase] = [
    SyntaxCase(
      source: "1 + (x*2",
      message: "expr:1:9: expected ')' to close the '(' at column 5, but the expression ended"),
    SyntaxCase(
      source: "max(x, 2",
      message: "expr:1:9: expected ')' to close the '(' at column 4, but the expression ended"),
    SyntaxCase(
      source: "1 + * x",
      message: "expr:1:5: expected a number, x, a function or '(' but found '*'"),
    SyntaxCase(
      source: "2 +",
      message: "expr:1:4: expected a number, x, a function or '(' but the expression ended"
    ),
    SyntaxCase(
      source: "", message: "expr:1:1: empty expression (write a shape of x, e.g. 1 + 4*x^2)"),
    SyntaxCase(
      source: "4x",
      message: "expr:1:2: unexpected 'x' after a complete expression (missing an operator?)"),
    SyntaxCase(
      source: "(x))",
      message: "expr:1:4: unexpected ')' after a complete expression (unmatched ')')"),
    SyntaxCase(
      source: "1 + y", message: "expr:1:5: unknown name 'y' (did you mean 'x'?)"),
    SyntaxCase(
      source: "1 + foo",
      message: "expr:1:5: unknown name 'foo' (the variable is x; the constant is pi)"),
    SyntaxCase(
      source: "expp(x)", message: "expr:1:1: unknown function 'expp' (did you mean 'exp'?)"),
    SyntaxCase(source: "exp + 1", message: "expr:1:1: 'exp' is a function: write exp(...)"),
    SyntaxCase(source: "min(x)", message: "expr:1:1: 'min' takes 2 arguments, got 1"),
    SyntaxCase(source: "sqrt(x, 2)", message: "expr:1:1: 'sqrt' takes 1 argument, got 2"),
    SyntaxCase(
      source: "1e", message: "expr:1:1: malformed number '1e' (an exponent needs digits, e.g. 1e-3)"
    ),
    SyntaxCase(
      source: "x $ 2",
      message:
        "expr:1:3: unexpected character '$' (allowed: numbers, x, pi, + - * / ^ ( ) , and functions)"
    ),
  ]

  @Test(arguments: syntaxErrors)
  func syntaxErrorsPointAtTheColumn(_ c: SyntaxCase) {
    #expect(throws: ProfileError.self) {
      try ProfileSpec(family: .expr, expression: c.source)
    }
    do {
      _ = try ShapeExpression(parsing: c.source)
      Issue.record("parsed")
    } catch {
      #expect(error.description == c.message)
      #expect(error.pointer.hasSuffix(String(repeating: " ", count: error.column - 1) + "^"))
    }
  }

  struct ValueCase: CustomTestStringConvertible, Sendable {
    let source: String
    let cv: Double?
    let message: String
    var testDescription: String { "'\(source)' cv=\(cv.map { "\($0)" } ?? "none")" }
  }

  static let valueErrors: [ValueCase] = [
    ValueCase(
      source: "x - 0.5", cv: nil,
      message: "the expression is negative at neuron 0 (x = 0.005): -0.495 (fan-ins are"
        + " proportional to the shape, which must be >= 0; add a constant or use abs(...))"),
    ValueCase(
      source: "log(x - 0.5)", cv: nil,
      message:
        "the expression is undefined (NaN) at neuron 0 (x = 0.005) (fan-ins need a finite shape at"
        + " every neuron; check for log(0), division by 0 or sqrt of a negative)"),
    ValueCase(
      source: "1 / (x - 0.005)", cv: nil,
      message: "the expression is infinite at neuron 0 (x = 0.005) (fan-ins need a finite shape at"
        + " every neuron; check for log(0), division by 0 or sqrt of a negative)"),
    ValueCase(
      source: "0 * x", cv: 1,
      message: "the expression is 0 at every neuron (a shape needs a positive value somewhere)"),
    ValueCase(
      source: "2 + 0*x", cv: 1,
      message: "the expression '2 + 0*x' is constant over the neurons, so no exponent gives cv=1"
        + " (make it depend on x)"),
  ]

  @Test(arguments: valueErrors)
  func badValuesAreRefused(_ c: ValueCase) throws {
    let spec = try ProfileSpec(family: .expr, cv: c.cv, expression: c.source)
    #expect {
      try spec.fanIns(nIn: 300, nOut: 100, budget: 3000)
    } throws: { error in
      (error as? ProfileError)?.description == c.message
    }
  }

  /// A constant expression is fine without a CV target (and with cv=0): it is the constant profile.
  @Test func constantExpressionWithoutTarget() throws {
    let k = try ProfileSpec(family: .expr, expression: "2").fanIns(
      nIn: 300, nOut: 100, budget: 3000)
    #expect(k.fanIns == [Int](repeating: 30, count: 100))
    let zero = try ProfileSpec(family: .expr, cv: 0, expression: "2")
      .fanIns(nIn: 300, nOut: 100, budget: 3000)
    #expect(zero.achievedCV == 0)
  }

  /// cv= on an expression solves the exponent p of g(x)^p; p = 1 is the expression as written.
  @Test func expressionCVSolvesTheExponent() throws {
    let asWritten = try ProfileSpec(family: .expr, expression: "1 + 4*x^2")
      .fanIns(nIn: 784, nOut: 300, budget: 23520)
    #expect(asWritten.parameters == ["exponent": 1])
    // Same shape through the family machinery: k ∝ 1 + 4x² exactly (no clipping here).
    let manual = FanInAllocation.fanIns(
      logShape: ShapeSampler.positions(nOut: 300).map { log(1 + 4 * $0 * $0) },
      nIn: 784, budget: 23520)
    #expect(asWritten.fanIns == manual)
    for target in [0.2, 0.5, 1, 2] {
      let solved = try ProfileSpec(family: .expr, cv: target, expression: "1 + 4*x^2")
        .fanIns(nIn: 784, nOut: 300, budget: 23520)
      #expect(abs(solved.achievedCV - target) <= 0.02, "cv=\(target)")
      let p = try #require(solved.parameters["exponent"])
      #expect(target < asWritten.achievedCV ? p < 1 : p > 1, "cv=\(target): exponent \(p)")
    }
    // Neurons where g = 0 keep one input for every exponent.
    let zeros = try ProfileSpec(family: .expr, cv: 1, expression: "max(x - 0.5, 0)")
      .fanIns(nIn: 784, nOut: 300, budget: 23520)
    #expect(zeros.fanIns[0..<150].allSatisfy { $0 == 1 })
  }
}
