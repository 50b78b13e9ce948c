import CIAuthCore
import Foundation

/// The instant given to `--at`: RFC 3339 `YYYY-MM-DDTHH:MM:SS`, an optional fraction of a
/// second, then `Z` or an offset `±HH:MM` — and nothing after it. Read here rather than by
/// Foundation, whose ISO 8601 reader ignores what follows a valid prefix (`…Zx`) and whose
/// calendar and time-zone set-up would cost every short command a noticeable part of its start.
/// Impossible dates and times (February 30, hour 24, second 60) are refused, not rolled over.
enum InstantArgument {
    static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20,
            let wholeSeconds = ApprovalTimestamp(rfc3339: Substring(String(decoding: bytes[0..<19], as: UTF8.self) + "Z"))
        else { return nil }
        var index = 19
        var fraction = 0.0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            let start = index
            while index < bytes.count, let digit = digit(bytes[index]) {
                fraction += Double(digit) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        guard let offset = offsetSeconds(bytes[index...]) else { return nil }
        return Date(timeIntervalSince1970: Double(wholeSeconds.secondsSinceEpoch - offset) + fraction)
    }

    /// `Z` or `±HH:MM` as seconds east of UTC; nil for anything else, including trailing text.
    private static func offsetSeconds(_ rest: ArraySlice<UInt8>) -> Int64? {
        let rest = Array(rest)
        if rest == [UInt8(ascii: "Z")] { return 0 }
        guard rest.count == 6, rest[3] == UInt8(ascii: ":"),
            let h1 = digit(rest[1]), let h2 = digit(rest[2]), let m1 = digit(rest[4]), let m2 = digit(rest[5])
        else { return nil }
        let hours = h1 * 10 + h2, minutes = m1 * 10 + m2
        guard hours < 24, minutes < 60 else { return nil }
        switch rest[0] {
        case UInt8(ascii: "+"): return hours * 3600 + minutes * 60
        case UInt8(ascii: "-"): return -(hours * 3600 + minutes * 60)
        default: return nil
        }
    }

    private static func digit(_ byte: UInt8) -> Int64? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int64(byte - UInt8(ascii: "0")) : nil
    }
}
