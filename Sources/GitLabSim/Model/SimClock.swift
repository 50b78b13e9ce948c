import Foundation

/// GitLab's timestamp format (`2025-03-01T10:00:00.000Z`) and the date inputs it accepts.
enum SimClock {
    static func format(_ date: Date) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
    }

    static func format(_ date: Date?) -> JSONValue {
        date.map { .string(format($0)) } ?? .null
    }

    /// Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM:SSZ` or the same with fractional seconds.
    static func parse(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        let dateOnly = Date.ISO8601FormatStyle().year().month().day()
        return try? dateOnly.parse(text)
    }
}
