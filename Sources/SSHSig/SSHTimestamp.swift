import Foundation

/// An allowed_signers `valid-after` / `valid-before` time: `YYYYMMDD`, `YYYYMMDDHHMM` or
/// `YYYYMMDDHHMMSS`, in UTC when suffixed `Z` (or `UTC`), otherwise in local time
/// (OpenSSH misc.c `parse_absolute_time`).
public struct SSHTimestamp: Hashable, Sendable, CustomStringConvertible {
    /// The text as written in the file, kept for faithful serialization.
    public let text: String
    public let isUTC: Bool
    let components: DateComponents

    public init(_ text: String) throws(SSHSigError) {
        let (digits, isUTC) = SSHTimestamp.splitZone(text)
        guard [8, 12, 14].contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw .invalidTimestamp(text)
        }
        let characters = Array(digits)
        func field(_ start: Int) -> Int? {
            start + 2 <= characters.count ? Int(String(characters[start..<start + 2])) : nil
        }
        let year = Int(String(characters[0..<4])) ?? 0
        let components = DateComponents(year: year, month: field(4), day: field(6), hour: field(8) ?? 0, minute: field(10) ?? 0, second: field(12) ?? 0)
        guard year >= 1970, SSHTimestamp.isValidDate(components) else { throw .invalidTimestamp(text) }
        self.text = text
        self.isUTC = isUTC
        self.components = components
    }

    /// The instant this time denotes; `localTimeZone` applies when the text has no UTC suffix.
    public func date(localTimeZone: TimeZone = .current) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = isUTC ? TimeZone(identifier: "UTC") ?? localTimeZone : localTimeZone
        return calendar.date(from: components) ?? .distantFuture
    }

    public var description: String { text }

    private static func splitZone(_ text: String) -> (Substring, Bool) {
        let upper = text.uppercased()
        if text.count > 1, upper.hasSuffix("Z") { return (text.dropLast(1), true) }
        if text.count > 3, upper.hasSuffix("UTC") { return (text.dropLast(3), true) }
        return (Substring(text), false)
    }

    /// Calendar-valid fields (rejects e.g. 20250230 or 2460); seconds may not be leap seconds.
    private static func isValidDate(_ components: DateComponents) -> Bool {
        guard let month = components.month, (1...12).contains(month),
              let day = components.day, day >= 1,
              let hour = components.hour, (0...23).contains(hour),
              let minute = components.minute, (0...59).contains(minute),
              let second = components.second, (0...59).contains(second),
              let year = components.year
        else { return false }
        let isLeap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let monthLengths = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= monthLengths[month - 1]
    }
}
