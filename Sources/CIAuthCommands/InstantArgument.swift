import Foundation
import GitLab

/// The instant given to `--at`: RFC 3339 `YYYY-MM-DDTHH:MM:SS`, an optional fraction of a
/// second, then `Z` or an offset `±HH:MM` — and nothing after it. Read by the same strict reader
/// as GitLab's timestamps, not by Foundation, whose ISO 8601 reader ignores what follows a valid
/// prefix (`…Zx`) and whose calendar and time-zone set-up would cost every short command a
/// noticeable part of its start. Impossible dates and times (February 30, hour 24) are refused,
/// not rolled over; a date without a time is not an instant.
enum InstantArgument {
    static func parse(_ text: String) -> Date? {
        text.utf8.count > 10 ? ISO8601Timestamp.parse(text) : nil
    }
}
