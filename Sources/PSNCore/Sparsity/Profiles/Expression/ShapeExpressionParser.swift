/// Recursive-descent parser for `ShapeExpression`; one function per grammar rule.
struct ShapeExpressionParser {
  struct Token: Equatable {
    enum Kind: Equatable {
      case number(Double)
      case name(String)
      case symbol(Character)
      case end
    }
    let kind: Kind
    /// 1-based column of the token's first character.
    let column: Int
    /// The characters as typed, for messages.
    let text: String
  }

  private let source: String
  private let tokens: [Token]
  private var position = 0

  init(_ source: String) throws(ExpressionSyntaxError) {
    self.source = source
    self.tokens = try Self.tokenize(source)
  }

  /// The whole input as one expression.
  mutating func parseExpression() throws(ExpressionSyntaxError) -> ShapeExpression {
    if current.kind == .end {
      throw error("empty expression (write a shape of x, e.g. 1 + 4*x^2)", at: current)
    }
    let e = try parseSum()
    if current.kind != .end {
      let hint = current.kind == .symbol(")") ? "unmatched ')'" : "missing an operator?"
      throw error("unexpected '\(current.text)' after a complete expression (\(hint))", at: current)
    }
    return e
  }

  // MARK: grammar rules

  private mutating func parseSum() throws(ExpressionSyntaxError) -> ShapeExpression {
    try parseLeftAssociative([.add, .subtract]) { parser throws(ExpressionSyntaxError) in
      try parser.parseProduct()
    }
  }

  private mutating func parseProduct() throws(ExpressionSyntaxError) -> ShapeExpression {
    try parseLeftAssociative([.multiply, .divide]) { parser throws(ExpressionSyntaxError) in
      try parser.parseUnary()
    }
  }

  /// `operand (op operand)*` for one precedence level of left-associative operators.
  private mutating func parseLeftAssociative(
    _ operators: [ShapeExpression.BinaryOperator],
    operand: (inout ShapeExpressionParser) throws(ExpressionSyntaxError) -> ShapeExpression
  ) throws(ExpressionSyntaxError) -> ShapeExpression {
    var e = try operand(&self)
    while case .symbol(let c) = current.kind, let op = ShapeExpression.BinaryOperator(rawValue: c),
      operators.contains(op)
    {
      advance()
      e = .binary(op, e, try operand(&self))
    }
    return e
  }

  private mutating func parseUnary() throws(ExpressionSyntaxError) -> ShapeExpression {
    if case .symbol(let c) = current.kind, c == "-" || c == "+" {
      advance()
      let operand = try parseUnary()
      return c == "-" ? .negate(operand) : operand
    }
    return try parsePower()
  }

  /// `atom ^ unary`: the exponent is parsed by `parseUnary`, which recurses back here, so
  /// `2^3^2` is `2^(3^2)` and `-x^2` is `-(x^2)`.
  private mutating func parsePower() throws(ExpressionSyntaxError) -> ShapeExpression {
    let base = try parseAtom()
    guard current.kind == .symbol("^") else { return base }
    advance()
    return .binary(.power, base, try parseUnary())
  }

  private mutating func parseAtom() throws(ExpressionSyntaxError) -> ShapeExpression {
    let token = current
    switch token.kind {
    case .number(let value):
      advance()
      return .number(value)
    case .symbol("("):
      advance()
      let inner = try parseSum()
      try expect(")", closing: token)
      return inner
    case .name(let name):
      advance()
      return try parseName(name, token: token)
    case .end:
      throw error("expected a number, x, a function or '(' but the expression ended", at: token)
    case .symbol:
      throw error("expected a number, x, a function or '(' but found '\(token.text)'", at: token)
    }
  }

  private mutating func parseName(
    _ name: String, token: Token
  ) throws(ExpressionSyntaxError) -> ShapeExpression {
    if name == "x" { return .x }
    if name == "pi" { return .number(Double.pi) }
    let functions = ShapeFunction.allCases.map(\.rawValue)
    guard let function = ShapeFunction(rawValue: name) else {
      if current.kind == .symbol("(") {
        let fix = Spelling.closestMatch(to: name, among: functions).map { "did you mean '\($0)'?" }
        throw error(
          "unknown function '\(name)' (\(fix ?? "functions: " + functions.joined(separator: ", ")))",
          at: token)
      }
      let fix = Spelling.closestMatch(to: name, among: ["x", "pi"] + functions)
        .map { "did you mean '\($0)'?" }
      throw error(
        "unknown name '\(name)' (\(fix ?? "the variable is x; the constant is pi"))", at: token)
    }
    guard current.kind == .symbol("(") else {
      throw error("'\(name)' is a function: write \(name)(...)", at: token)
    }
    let open = current
    advance()
    var arguments = [try parseSum()]
    while current.kind == .symbol(",") {
      advance()
      arguments.append(try parseSum())
    }
    try expect(")", closing: open)
    guard arguments.count == function.arity else {
      let plural = function.arity == 1 ? "argument" : "arguments"
      throw error(
        "'\(name)' takes \(function.arity) \(plural), got \(arguments.count)", at: token)
    }
    return .call(function, arguments)
  }

  // MARK: tokens

  private var current: Token { tokens[position] }

  private mutating func advance() {
    if position < tokens.count - 1 { position += 1 }
  }

  /// Consumes `symbol` or reports it missing at the current token.
  private mutating func expect(
    _ symbol: Character, closing open: Token
  ) throws(ExpressionSyntaxError) {
    guard current.kind == .symbol(symbol) else {
      let found = current.kind == .end ? "the expression ended" : "found '\(current.text)'"
      throw error(
        "expected '\(symbol)' to close the '\(open.text)' at column \(open.column), but \(found)",
        at: current)
    }
    advance()
  }

  private func error(_ message: String, at token: Token) -> ExpressionSyntaxError {
    ExpressionSyntaxError(column: token.column, message: message, source: source)
  }

  /// Splits the source into numbers, names, one-character symbols and a final `.end`.
  static func tokenize(_ source: String) throws(ExpressionSyntaxError) -> [Token] {
    let chars = Array(source)
    var tokens: [Token] = []
    var i = 0
    func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }
    while i < chars.count {
      let c = chars[i]
      let start = i
      if c == " " || c == "\t" {
        i += 1
        continue
      }
      if isDigit(c) || (c == "." && i + 1 < chars.count && isDigit(chars[i + 1])) {
        while i < chars.count && isDigit(chars[i]) { i += 1 }
        if i < chars.count && chars[i] == "." {
          i += 1
          while i < chars.count && isDigit(chars[i]) { i += 1 }
        }
        if i < chars.count && (chars[i] == "e" || chars[i] == "E") {
          var j = i + 1
          if j < chars.count && (chars[j] == "+" || chars[j] == "-") { j += 1 }
          guard j < chars.count && isDigit(chars[j]) else {
            let text = String(chars[start..<min(j, chars.count)])
            throw ExpressionSyntaxError(
              column: start + 1,
              message: "malformed number '\(text)' (an exponent needs digits, e.g. 1e-3)",
              source: source)
          }
          i = j
          while i < chars.count && isDigit(chars[i]) { i += 1 }
        }
        let text = String(chars[start..<i])
        // The scanned text is a valid Swift float literal, so the conversion cannot fail.
        tokens.append(Token(kind: .number(Double(text) ?? .nan), column: start + 1, text: text))
        continue
      }
      if c.isASCII && (c.isLetter || c == "_") {
        while i < chars.count && chars[i].isASCII
          && (chars[i].isLetter || isDigit(chars[i]) || chars[i] == "_")
        {
          i += 1
        }
        let text = String(chars[start..<i])
        tokens.append(Token(kind: .name(text.lowercased()), column: start + 1, text: text))
        continue
      }
      guard "+-*/^(),".contains(c) else {
        throw ExpressionSyntaxError(
          column: start + 1,
          message: "unexpected character '\(c)' (allowed: numbers, x, pi, + - * / ^ ( ) ,"
            + " and functions)",
          source: source)
      }
      tokens.append(Token(kind: .symbol(c), column: start + 1, text: String(c)))
      i += 1
    }
    tokens.append(Token(kind: .end, column: chars.count + 1, text: ""))
    return tokens
  }
}
