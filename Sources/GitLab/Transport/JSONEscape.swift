/// The escapes of a JSON string (RFC 8259 §7), read strictly: `\uXXXX` surrogates only in
/// pairs. Shared by the readers that check JSON byte by byte (the GitLab client's answers, the
/// gate's ID tokens and key sets), so both read escapes alike.
public enum JSONEscape {
    public struct Invalid: Error, Equatable, Sendable {
        public let detail: String
    }

    /// The character escaped at `index`, just after the backslash; `index` moves past it.
    public static func read(_ bytes: [UInt8], at index: inout Int) throws(Invalid) -> Unicode.Scalar {
        guard index < bytes.count else { throw Invalid(detail: "unterminated escape") }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let first = try hex4(bytes, at: &index)
            guard (0xD800...0xDBFF).contains(first) else {
                guard let scalar = Unicode.Scalar(first) else { throw Invalid(detail: "a lone surrogate") }
                return scalar
            }
            guard bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw Invalid(detail: "a lone surrogate")
            }
            index += 2
            let second = try hex4(bytes, at: &index)
            guard (0xDC00...0xDFFF).contains(second),
                let scalar = Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
            else { throw Invalid(detail: "a lone surrogate") }
            return scalar
        default:
            throw Invalid(detail: "invalid escape")
        }
    }

    private static func hex4(_ bytes: [UInt8], at index: inout Int) throws(Invalid) -> UInt32 {
        guard bytes.count - index >= 4 else { throw Invalid(detail: "short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x41 + 10
            case 0x61...0x66: digit = byte - 0x61 + 10
            default: throw Invalid(detail: "invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}
