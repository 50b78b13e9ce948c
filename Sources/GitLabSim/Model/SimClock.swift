import Foundation

/// GitLab's timestamp format (`2025-03-01T10:00:00.000Z`) and the date inputs it accepts, and the
/// server's clock as the `Date` header shows it. That clock can be set off the real one
/// (`SimWorld.clockOffset`) to test clients that compare clocks; stored timestamps keep real time.
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

    /// RFC 7231 IMF-fixdate, as every GitLab response's `Date` header: `Sun, 06 Nov 1994 08:49:37 GMT`.
    /// Built from `gmtime_r` rather than a `DateFormatter`, which would be created per response.
    static func httpDate(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(weekdays[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}

extension SimWorld {
    /// The simulated server's "now": real time plus the clock offset.
    var now: Date { Date().addingTimeInterval(clockOffset) }
}
