/// An error a command or the interpreter reports to the user: the message (in psn's
/// `what (fix)` form) and, once known, where in the source it happened.
public struct ShellError: Error, Sendable, Equatable, CustomStringConvertible {
  public var message: String
  public var location: SourceLocation?

  public init(_ message: String, at location: SourceLocation? = nil) {
    self.message = message
    self.location = location
  }

  /// Wraps any error (core errors describe themselves completely), keeping a location if the
  /// error already had one.
  public init(_ error: any Error, at location: SourceLocation?) {
    switch error {
    case let e as ShellError:
      self = e
      if self.location == nil { self.location = location }
    case let e as ParseError:
      self.init(e.message, at: e.location)
    default:
      self.init(String(describing: error), at: location)
    }
  }

  /// `FILE:LINE:COL: message`, or the message alone when the place is unknown.
  public var description: String {
    location.map { "\($0): \(message)" } ?? message
  }
}
