import Foundation

/// Dates in the results database: ISO 8601 in UTC with milliseconds, `2026-11-24T08:15:00.123Z`.
///
/// Text sorts in time order and SQLite's date functions read it (`julianday(started_at)`).
/// Conversion goes through whole milliseconds since 1970, t = ms / 1000, in both directions, so a
/// date that `rounded(_:)` returned reads back bit for bit (Foundation's ISO 8601 formatter
/// parses the fraction by its own arithmetic and does not promise that).
enum ResultsTimestamp {
  /// The date at the nearest whole millisecond.
  static func rounded(_ date: Date) -> Date {
    Date(timeIntervalSince1970: Double(milliseconds(date)) / 1000)
  }

  static func milliseconds(_ date: Date) -> Int64 {
    Int64((date.timeIntervalSince1970 * 1000).rounded())
  }

  static func format(_ date: Date) -> String {
    let ms = milliseconds(date)
    let (days, msOfDay) = ms.quotientAndRemainder(dividingBy: 86_400_000)
    let (day, time) = msOfDay < 0 ? (days - 1, msOfDay + 86_400_000) : (days, msOfDay)
    let (y, m, d) = civil(fromDays: day)
    func pad(_ v: Int64, _ width: Int) -> String {
      let s = String(v)
      return String(repeating: "0", count: max(0, width - s.count)) + s
    }
    return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(time / 3_600_000, 2)):"
      + "\(pad(time / 60_000 % 60, 2)):\(pad(time / 1000 % 60, 2)).\(pad(time % 1000, 3))Z"
  }

  /// Reads exactly the form `format` writes; nil for anything else.
  static func parse(_ text: String) -> Date? {
    let c = Array(text.utf8)
    guard c.count == 24, c[4] == UInt8(ascii: "-"), c[7] == UInt8(ascii: "-"),
      c[10] == UInt8(ascii: "T"), c[13] == UInt8(ascii: ":"), c[16] == UInt8(ascii: ":"),
      c[19] == UInt8(ascii: "."), c[23] == UInt8(ascii: "Z")
    else { return nil }
    func number(_ range: Range<Int>) -> Int64? {
      var v: Int64 = 0
      for i in range {
        guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c[i]) else { return nil }
        v = v * 10 + Int64(c[i] - UInt8(ascii: "0"))
      }
      return v
    }
    guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10),
      let hh = number(11..<13), let mm = number(14..<16), let ss = number(17..<19),
      let ms = number(20..<23), (1...12).contains(m), (1...31).contains(d), hh < 24, mm < 60, ss < 60
    else { return nil }
    let days = self.days(fromCivil: y, m, d)
    let total = ((days * 24 + hh) * 60 + mm) * 60_000 + ss * 1000 + ms
    return Date(timeIntervalSince1970: Double(total) / 1000)
  }

  /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-compatible
  /// low-level date algorithms", days_from_civil): eras of 400 years = 146 097 days, years
  /// counted from March so the leap day ends the year.
  static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  /// The inverse of `days(fromCivil:)` (civil_from_days).
  static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }
}
