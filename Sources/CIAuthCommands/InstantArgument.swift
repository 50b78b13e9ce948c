import CIAuthCore
import Foundation

/// The instant given to `--at`. The canonical form (`2026-11-28T10:00:00Z`) is read directly;
/// other RFC 3339 spellings (offsets, fractions) through Foundation, whose calendar and time-zone
/// set-up would otherwise cost every short command a noticeable part of its start. Foundation
/// rolls impossible dates over (February 30 becomes March 2), so date and time are checked first.
enum InstantArgument {
    static func parse(_ text: String) -> Date? {
        if let canonical = ApprovalTimestamp(rfc3339: Substring(text)) { return canonical.date }
        guard ApprovalTimestamp(rfc3339: text.prefix(19) + "Z") != nil else { return nil }
        return try? Date(text, strategy: .iso8601)
    }
}
