import Foundation

/// A UTC instant with whole-second precision, written as RFC 3339 `YYYY-MM-DDTHH:MM:SSZ`
/// (exactly 20 ASCII characters, years 1970–9999, no fractions, no offsets, no leap second).
/// Exactly one text maps to each instant, which keeps the statement encoding injective.
public struct ApprovalTimestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let secondsSinceEpoch: Int64

    static let lastSecond: Int64 = 253_402_300_799  // 9999-12-31T23:59:59Z

    /// Fails when the instant is outside 1970-01-01T00:00:00Z ... 9999-12-31T23:59:59Z.
    public init?(secondsSinceEpoch: Int64) {
        guard (0...Self.lastSecond).contains(secondsSinceEpoch) else { return nil }
        self.secondsSinceEpoch = secondsSinceEpoch
    }

    /// Truncates to the whole second at or before `date`.
    public init?(_ date: Date) {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        guard seconds >= 0, seconds <= Double(Self.lastSecond) else { return nil }
        self.init(secondsSinceEpoch: Int64(seconds))
    }

    public var date: Date { Date(timeIntervalSince1970: TimeInterval(secondsSinceEpoch)) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.secondsSinceEpoch < rhs.secondsSinceEpoch }

    public var description: String { rfc3339 }

    /// The canonical text, e.g. `2026-11-28T21:00:00Z`.
    public var rfc3339: String {
        let days = secondsSinceEpoch / 86_400
        let secondOfDay = secondsSinceEpoch % 86_400
        let (year, month, day) = CivilCalendar.date(fromDaysSinceEpoch: days)
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
            + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay % 3600 / 60, 2) + ":"
            + pad(secondOfDay % 60, 2) + "Z"
    }

    /// Parses only the canonical text; anything else (lower-case `t`/`z`, offsets, fractions,
    /// impossible dates, `60` seconds, signs, spaces) returns nil.
    public init?(rfc3339 text: Substring) {
        let bytes = Array(text.utf8)
        guard bytes.count == 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            bytes[19] == UInt8(ascii: "Z"),
            let year = Self.digits(bytes[0..<4]), let month = Self.digits(bytes[5..<7]),
            let day = Self.digits(bytes[8..<10]), let hour = Self.digits(bytes[11..<13]),
            let minute = Self.digits(bytes[14..<16]), let second = Self.digits(bytes[17..<19]),
            year >= 1970, (1...12).contains(month),
            (1...CivilCalendar.daysIn(month: month, year: year)).contains(day),
            hour < 24, minute < 60, second < 60
        else { return nil }
        let days = CivilCalendar.daysSinceEpoch(year: year, month: month, day: day)
        self.init(secondsSinceEpoch: days * 86_400 + hour * 3600 + minute * 60 + second)
    }

    private static func digits(_ slice: ArraySlice<UInt8>) -> Int64? {
        var value: Int64 = 0
        for byte in slice {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        return value
    }

    private func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}

/// Proleptic Gregorian calendar arithmetic (H. Hinnant's days_from_civil / civil_from_days),
/// independent of time zones and locale.
enum CivilCalendar {
    static func isLeap(_ year: Int64) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = shiftedYear / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func date(fromDaysSinceEpoch days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = shifted / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}
