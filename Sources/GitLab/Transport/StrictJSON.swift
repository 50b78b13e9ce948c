/// Checks an answer's bytes against what GitLab's JSON always is, before Foundation decodes
/// them: RFC 8259 in UTF-8 (Foundation also guesses UTF-16 and UTF-32 and skips a byte order
/// mark), no object with a member named twice (Foundation keeps the first, most other readers,
/// Rails included, the last: an account `blocked` to one reader could be `active` to ciauth), and
/// every number of a member named `id` or `…_id` a positive integer written as one (Foundation
/// reads `2.0` and `2e0` as 2). Builds nothing; the decoder reads the values afterwards.
enum StrictJSON {
    struct Violation: Error, Equatable {
        let detail: String
    }

    /// GitLab's entities nest a few levels; a much deeper answer is no entity of GitLab's.
    static let maximumDepth = 64

    static func check(_ bytes: [UInt8]) throws(Violation) {
        var scanner = Scanner(bytes: bytes)
        scanner.skipSpace()
        try scanner.value(depth: 0, member: nil)
        scanner.skipSpace()
        guard scanner.index == bytes.count else { throw scanner.violation("more after the JSON value") }
    }

    /// Whether a member's numbers are ids: `id`, `project_id`, `user_id`, …
    static func isIdentifier(_ name: String) -> Bool { name == "id" || name.hasSuffix("_id") }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        func violation(_ what: String) -> Violation { Violation(detail: "\(what) at byte \(index)") }

        mutating func skipSpace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D {
                index += 1
            }
        }

        /// `member`: the name of the member this value belongs to, if any.
        mutating func value(depth: Int, member: String?) throws(Violation) {
            guard depth < StrictJSON.maximumDepth else { throw violation("nested deeper than \(StrictJSON.maximumDepth) levels") }
            guard index < bytes.count else { throw violation("unexpected end") }
            switch bytes[index] {
            case UInt8(ascii: "{"): try object(depth: depth)
            case UInt8(ascii: "["): try array(depth: depth)
            case UInt8(ascii: "\""): _ = try string(keep: false)
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            default:
                let start = index
                let isInteger = try number()
                if let member, StrictJSON.isIdentifier(member) {
                    let text = bytes[start..<index]
                    guard isInteger, text.first != UInt8(ascii: "-"), text.first != UInt8(ascii: "0"), text.count <= 18 else {
                        throw Violation(detail: "member \"\(member.prefix(64))\" is not a positive integer id at byte \(start)")
                    }
                }
            }
        }

        mutating func object(depth: Int) throws(Violation) {
            index += 1
            var names = Set<String>()
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return
            }
            while true {
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw violation("expected a member name") }
                let name = try string(keep: true)
                guard names.insert(name).inserted else {
                    throw violation("member \"\(name.prefix(64))\" appears twice in one object")
                }
                skipSpace()
                try expect(":")
                skipSpace()
                try value(depth: depth + 1, member: name)
                skipSpace()
                guard index < bytes.count else { throw violation("unexpected end") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                try expect("}")
                return
            }
        }

        mutating func array(depth: Int) throws(Violation) {
            index += 1
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return
            }
            while true {
                skipSpace()
                try value(depth: depth + 1, member: nil)
                skipSpace()
                guard index < bytes.count else { throw violation("unexpected end") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                try expect("]")
                return
            }
        }

        mutating func expect(_ character: Unicode.Scalar) throws(Violation) {
            guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { throw violation("expected \(character)") }
            index += 1
        }

        mutating func literal(_ word: StaticString) throws(Violation) {
            let count = word.utf8CodeUnitCount
            guard bytes.count - index >= count else { throw violation("invalid literal") }
            for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
                throw violation("invalid literal")
            }
            index += count
        }

        /// Skips a number; true when it is written as an integer (no fraction, no exponent).
        mutating func number() throws(Violation) -> Bool {
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            let digits = index
            skipDigits()
            guard index > digits else { throw violation("invalid value") }
            if index - digits > 1, bytes[digits] == UInt8(ascii: "0") { throw violation("number with a leading zero") }
            var isInteger = true
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                let fraction = index
                skipDigits()
                guard index > fraction else { throw violation("invalid number") }
                isInteger = false
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                let exponent = index
                skipDigits()
                guard index > exponent else { throw violation("invalid number") }
                isInteger = false
            }
            return isInteger
        }

        mutating func skipDigits() {
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
        }

        /// Reads a string, checking its UTF-8 and escapes; returns its text when `keep`.
        mutating func string(keep: Bool) throws(Violation) -> String {
            index += 1
            var text = String.UnicodeScalarView()
            var run = index
            func flush(_ end: Int) throws(Violation) {
                guard end > run else { return }
                guard let part = String(validating: bytes[run..<end], as: UTF8.self) else { throw violation("a string that is not UTF-8") }
                if keep { text.append(contentsOf: part.unicodeScalars) }
            }
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    try flush(index)
                    index += 1
                    return String(text)
                }
                guard byte >= 0x20 else { throw violation("a control character in a string") }
                if byte == UInt8(ascii: "\\") {
                    try flush(index)
                    index += 1
                    let scalar = try escape()
                    if keep { text.append(scalar) }
                    run = index
                } else {
                    index += 1
                }
            }
            throw violation("unterminated string")
        }

        mutating func escape() throws(Violation) -> Unicode.Scalar {
            do {
                return try JSONEscape.read(bytes, at: &index)
            } catch {
                throw violation(error.detail)
            }
        }
    }
}
