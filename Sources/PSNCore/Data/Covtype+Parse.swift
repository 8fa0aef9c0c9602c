extension Covtype {
  /// Parses the CSV text of `covtype.data` into one split holding every row in file order.
  ///
  /// A hand-written byte scanner (the file is 75 MB, 32 M fields): each line must hold exactly
  /// 54 numbers and a cover type, the 44 indicator columns must be 0 or 1 and the cover type
  /// 1...7. Anything else stops with the file, line and field. Empty lines are skipped; `\r\n`
  /// line ends are accepted. Numbers are `[-+]digits[.digits]` within Float's range.
  static func parse(_ text: [UInt8], file: String) throws(DataError) -> Dataset.Split {
    let f = featureCount
    let fieldsPerLine = f + 1
    var newlines = 0
    for byte in text where byte == UInt8(ascii: "\n") { newlines += 1 }
    let maxRows = newlines + 1

    var features = [Float](repeating: 0, count: maxRows * f)
    var labels = [Int32](repeating: 0, count: maxRows)
    var rows = 0
    var failure: DataError?
    text.withUnsafeBufferPointer { s in
      let n = s.count
      var p = 0
      var line = 0
      while p < n {
        line += 1
        var end = p
        while end < n && s[end] != UInt8(ascii: "\n") { end += 1 }
        var stop = end
        if stop > p && s[stop - 1] == UInt8(ascii: "\r") { stop -= 1 }
        defer { p = end + 1 }
        if stop == p { continue }

        var q = p
        var field = 0
        while true {
          let start = q
          guard let value = number(s, &q, stop) else {
            while q < stop && s[q] != UInt8(ascii: ",") { q += 1 }
            let shown = String(decoding: s[start..<min(q, start + 24)], as: UTF8.self)
            failure = .badLine(
              file: file, line: line,
              problem:
                "field \(field + 1) is \(shown.isEmpty ? "empty" : "'\(shown)'"), not a number")
            return
          }
          if field < f {
            if field >= continuousCount && value != 0 && value != 1 {
              failure = .badLine(
                file: file, line: line,
                problem: "field \(field + 1) is \(format(value)); the wilderness and soil "
                  + "indicators (fields 11–54) must be 0 or 1")
              return
            }
            features[rows * f + field] = Float(value)
          } else if field == f {
            guard value == value.rounded(), value >= 1, value <= Double(classNames.count) else {
              failure = .badLine(
                file: file, line: line,
                problem: "cover type (field 55) is \(format(value)), should be 1...7")
              return
            }
            labels[rows] = Int32(value) - 1
          }
          field += 1
          if q == stop { break }
          q += 1  // the comma
        }
        guard field == fieldsPerLine else {
          failure = .badLine(
            file: file, line: line,
            problem: "\(field) fields, expected \(fieldsPerLine) (54 features and the cover type)")
          return
        }
        rows += 1
      }
    }
    if let failure { throw failure }
    features.removeLast((maxRows - rows) * f)
    labels.removeLast(maxRows - rows)
    return .init(features: features, labels: labels)
  }

  /// Scans `[-+]digits[.digits]` at `q`, which must end at a comma or `stop`; nil otherwise.
  private static func number(_ s: UnsafeBufferPointer<UInt8>, _ q: inout Int, _ stop: Int)
    -> Double?
  {
    var negative = false
    if q < stop && (s[q] == UInt8(ascii: "-") || s[q] == UInt8(ascii: "+")) {
      negative = s[q] == UInt8(ascii: "-")
      q += 1
    }
    var value = 0.0
    var digits = 0
    while q < stop, case let d = s[q] &- UInt8(ascii: "0"), d < 10 {
      value = value * 10 + Double(d)
      digits += 1
      q += 1
    }
    if q < stop && s[q] == UInt8(ascii: ".") {
      q += 1
      var scale = 1.0
      while q < stop, case let d = s[q] &- UInt8(ascii: "0"), d < 10 {
        scale /= 10
        value += Double(d) * scale
        digits += 1
        q += 1
      }
    }
    guard digits > 0, q == stop || s[q] == UInt8(ascii: ","), Float(value).isFinite else {
      return nil
    }
    return negative ? -value : value
  }

  private static func format(_ x: Double) -> String {
    x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
  }
}
