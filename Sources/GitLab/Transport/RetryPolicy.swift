import Foundation

/// When and how long to wait before repeating an idempotent request.
///
/// Retried: 429 (waiting `Retry-After` when given), 500, 502, 503, 504 and connection failures.
/// Never retried: requests that are not idempotent (playing a job, deleting a key): a 500 may
/// come after the server acted.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts after the first one.
    public var maxRetries: Int
    /// First backoff; doubles on each retry.
    public var baseDelay: Duration
    /// Upper bound of one computed backoff.
    public var maxDelay: Duration
    /// Longest `Retry-After` we are willing to wait; a longer one fails at once with `rateLimited`.
    public var maxRetryAfter: Duration

    public init(
        maxRetries: Int = 3, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(8),
        maxRetryAfter: Duration = .seconds(60)
    ) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    public static let none = RetryPolicy(maxRetries: 0)

    /// Statuses worth repeating an idempotent request for. 500 is included: GitLab answers it
    /// for transient faults (a database failover, a timeout inside Rails), and a read repeated
    /// cannot do harm.
    static let retryableStatuses: Set<Int> = [429, 500, 502, 503, 504]

    /// Exponential backoff with "equal jitter": half fixed, half random, so retries of many
    /// clients spread out but never collapse to zero.
    func backoff(attempt: Int, random: Double = Double.random(in: 0...1)) -> Duration {
        let exponent = min(attempt, 30)
        let raw = baseDelay * Double(1 << exponent)
        let capped = raw > maxDelay ? maxDelay : raw
        return capped / 2 + (capped / 2) * random
    }

    /// Delay before the next attempt, or nil when we must not wait that long.
    func delay(attempt: Int, retryAfterSeconds: Double?) -> Duration? {
        guard let retryAfterSeconds else { return backoff(attempt: attempt) }
        let requested = Duration.milliseconds(Int64((retryAfterSeconds * 1000).rounded(.up)))
        return requested > maxRetryAfter ? nil : requested
    }
}

/// `Retry-After` as delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
enum RetryAfter {
    static func seconds(_ value: String?, now: Date) -> Double? {
        guard let value = value?.trimmingSpaces, !value.isEmpty else { return nil }
        if value.allSatisfy(\.isASCIIDigit) {
            return value.count <= 9 ? Double(value) : nil
        }
        guard let date = HTTPDate.parse(value) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}

/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the only form a server must send, read
/// strictly: fixed-width ASCII digits, and a weekday that is the date's.
enum HTTPDate {
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    /// 1970-01-01 was a Thursday.
    private static let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]

    static func parse(_ text: String) -> Date? {
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0].count == 4, parts[0].hasSuffix(","), parts[5] == "GMT",
            let day = digits(parts[1], count: 2), let monthIndex = months.firstIndex(of: String(parts[2])),
            let year = digits(parts[3], count: 4)
        else { return nil }
        let time = parts[4].split(separator: ":", omittingEmptySubsequences: false)
        guard time.count == 3, let hour = digits(time[0], count: 2), let minute = digits(time[1], count: 2),
            let second = digits(time[2], count: 2),
            let date = CivilTime.date(
                year: year, month: monthIndex + 1, day: day, hour: hour, minute: minute, second: second, nanos: 0,
                offsetSeconds: 0)
        else { return nil }
        let daysSinceEpoch = Int((date.timeIntervalSince1970 / 86400).rounded(.down))
        let weekday = weekdays[((daysSinceEpoch % 7) + 7) % 7]
        guard parts[0].dropLast() == weekday else { return nil }
        return date
    }

    private static func digits(_ text: Substring, count: Int) -> Int? {
        guard text.utf8.count == count, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int(text)
    }
}
