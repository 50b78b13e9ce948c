import Foundation

/// Calendar arithmetic for timestamps GitLab sends, without a formatter per value.
enum CivilTime {
    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146097 + dayOfEra - 719468
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func date(
        year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, nanos: Int, offsetSeconds: Int
    ) -> Date? {
        guard (1...12).contains(month), (1...daysInMonth(year: year, month: month)).contains(day),
            (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + Double(nanos) / 1e9)
    }
}

/// Strict ISO 8601 timestamps as GitLab writes them: `2025-03-01T10:00:00.000Z`,
/// `2025-03-01T09:59:00.000+00:00`, `2025-03-01T10:00:00Z`, and plain dates `2025-03-01`
/// (read as midnight UTC). Nothing may follow the offset.
public enum ISO8601Timestamp {
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 10, let year = number(bytes, 0, 4), bytes[4] == UInt8(ascii: "-"),
            let month = number(bytes, 5, 2), bytes[7] == UInt8(ascii: "-"), let day = number(bytes, 8, 2)
        else { return nil }
        if bytes.count == 10 {
            return CivilTime.date(
                year: year, month: month, day: day, hour: 0, minute: 0, second: 0, nanos: 0, offsetSeconds: 0)
        }
        guard bytes.count >= 20, bytes[10] == UInt8(ascii: "T"), let hour = number(bytes, 11, 2),
            bytes[13] == UInt8(ascii: ":"), let minute = number(bytes, 14, 2), bytes[16] == UInt8(ascii: ":"),
            let second = number(bytes, 17, 2)
        else { return nil }
        var index = 19
        var nanos = 0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                if digits < 9 { nanos = nanos * 10 + Int(bytes[index] - UInt8(ascii: "0")) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            for _ in min(digits, 9)..<9 { nanos *= 10 }
        }
        guard let offset = offsetSeconds(bytes, from: index) else { return nil }
        return CivilTime.date(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second, nanos: nanos,
            offsetSeconds: offset)
    }

    private static func offsetSeconds(_ bytes: [UInt8], from index: Int) -> Int? {
        guard index < bytes.count else { return nil }
        if bytes[index] == UInt8(ascii: "Z") { return index + 1 == bytes.count ? 0 : nil }
        guard bytes.count == index + 6, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"),
            let hours = number(bytes, index + 1, 2), bytes[index + 3] == UInt8(ascii: ":"),
            let minutes = number(bytes, index + 4, 2), hours <= 23, minutes <= 59
        else { return nil }
        let value = hours * 3600 + minutes * 60
        return bytes[index] == UInt8(ascii: "-") ? -value : value
    }

    private static func number(_ bytes: [UInt8], _ start: Int, _ length: Int) -> Int? {
        guard start + length <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[start..<start + length] {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}

extension KeyedDecodingContainer {
    /// Decodes an optional ISO 8601 timestamp strictly: present but malformed is an error.
    func decodeTimestamp(_ key: Key) throws -> Date? {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let date = ISO8601Timestamp.parse(text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "not an ISO 8601 timestamp")
        }
        return date
    }
}
