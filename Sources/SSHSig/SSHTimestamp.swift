import Foundation

/// An allowed_signers `valid-after` / `valid-before` time: `YYYYMMDD`, `YYYYMMDDHHMM` or
/// `YYYYMMDDHHMMSS`, in UTC when suffixed `Z` (or `UTC`), otherwise in local time
/// (OpenSSH misc.c `parse_absolute_time`).
public struct SSHTimestamp: Hashable, Sendable, CustomStringConvertible {
    /// The text as written in the file, kept for faithful serialization.
    public let text: String
    public let isUTC: Bool
    /// Seconds since the epoch of the written wall-clock time read as UTC.
    private let wallClockSeconds: Int

    public init(_ text: String) throws(SSHSigError) {
        let (digits, isUTC) = SSHTimestamp.splitZone(text)
        guard [8, 12, 14].contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw .invalidTimestamp(text)
        }
        let characters = Array(digits)
        func field(_ start: Int, _ length: Int = 2) -> Int {
            start + length <= characters.count ? Int(String(characters[start..<start + length])) ?? 0 : 0
        }
        let (year, month, day) = (field(0, 4), field(4), field(6))
        let (hour, minute, second) = (field(8), field(10), field(12))
        guard year >= 1970, (1...12).contains(month), (1...SSHTimestamp.daysIn(month: month, year: year)).contains(day),
              (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second)
        else { throw .invalidTimestamp(text) }
        self.text = text
        self.isUTC = isUTC
        self.wallClockSeconds = SSHTimestamp.daysSinceEpoch(year: year, month: month, day: day) * 86_400 + hour * 3_600 + minute * 60 + second
    }

    /// The instant this time denotes; `localTimeZone` applies when the text has no UTC suffix
    /// (like mktime: the zone's offset at that wall-clock time).
    public func date(localTimeZone: TimeZone = .current) -> Date {
        let wallClock = Date(timeIntervalSince1970: TimeInterval(wallClockSeconds))
        guard !isUTC else { return wallClock }
        let guess = wallClock.addingTimeInterval(-TimeInterval(localTimeZone.secondsFromGMT(for: wallClock)))
        return wallClock.addingTimeInterval(-TimeInterval(localTimeZone.secondsFromGMT(for: guess)))
    }

    public var description: String { text }

    private static func splitZone(_ text: String) -> (Substring, Bool) {
        let upper = text.uppercased()
        if text.count > 1, upper.hasSuffix("Z") { return (text.dropLast(1), true) }
        if text.count > 3, upper.hasSuffix("UTC") { return (text.dropLast(3), true) }
        return (Substring(text), false)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        let isLeap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        return [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = y / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
