import GitLab

/// A strict JSON reader for ID tokens and key sets (RFC 8259): an object with a member named
/// twice, a value of the wrong type, trailing bytes or nesting deeper than 16 levels is refused.
/// Foundation's decoders keep the last of two members with one name silently; a token whose
/// reader and verifier could disagree on a claim must not pass.
enum GateJSON: Hashable, Sendable {
    case object([String: GateJSON])
    case array([GateJSON])
    case string(String)
    /// The number as written (claims that matter are strings; `exp`, `nbf`, `iat` are integers).
    case number(String)
    case bool(Bool)
    case null

    struct Malformed: Error, Hashable, Sendable {
        let detail: String
    }

    static func parse(_ bytes: [UInt8]) throws(Malformed) -> GateJSON {
        var reader = Reader(bytes: bytes)
        reader.skipSpace()
        let value = try reader.value(depth: 0)
        reader.skipSpace()
        guard reader.index == bytes.count else { throw Malformed(detail: "bytes after the JSON value") }
        return value
    }

    var object: [String: GateJSON]? { if case .object(let members) = self { return members } else { return nil } }
    var string: String? { if case .string(let text) = self { return text } else { return nil } }

    /// A whole number without fraction or exponent, as JWT NumericDate values are written.
    var integer: Int64? {
        guard case .number(let text) = self, !text.contains("."), !text.contains("e"), !text.contains("E") else { return nil }
        return Int64(text)
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func value(depth: Int) throws(Malformed) -> GateJSON {
            guard depth < 16 else { throw Malformed(detail: "nested too deeply") }
            guard index < bytes.count else { throw Malformed(detail: "unexpected end") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            default: return .number(try number())
            }
        }

        mutating func object(depth: Int) throws(Malformed) -> GateJSON {
            index += 1
            var members: [String: GateJSON] = [:]
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            while true {
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw Malformed(detail: "expected a member name") }
                let name = try string()
                skipSpace()
                try expect(":")
                skipSpace()
                let member = try value(depth: depth + 1)
                guard members.updateValue(member, forKey: name) == nil else {
                    throw Malformed(detail: "member \"\(name.prefix(64))\" appears twice")
                }
                skipSpace()
                guard index < bytes.count else { throw Malformed(detail: "unexpected end") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                try expect("}")
                return .object(members)
            }
        }

        mutating func array(depth: Int) throws(Malformed) -> GateJSON {
            index += 1
            var items: [GateJSON] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(items)
            }
            while true {
                skipSpace()
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard index < bytes.count else { throw Malformed(detail: "unexpected end") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                try expect("]")
                return .array(items)
            }
        }

        mutating func expect(_ character: Unicode.Scalar) throws(Malformed) {
            guard index < bytes.count, bytes[index] == UInt8(ascii: character) else {
                throw Malformed(detail: "expected \(character)")
            }
            index += 1
        }

        mutating func literal(_ word: String) throws(Malformed) {
            let expected = Array(word.utf8)
            guard bytes.count - index >= expected.count, Array(bytes[index..<index + expected.count]) == expected else {
                throw Malformed(detail: "invalid literal")
            }
            index += expected.count
        }

        mutating func number() throws(Malformed) -> String {
            let start = index
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            let digitsStart = index
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
            guard index > digitsStart else { throw Malformed(detail: "invalid value") }
            if index - digitsStart > 1, bytes[digitsStart] == 0x30 { throw Malformed(detail: "number with a leading zero") }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                let fraction = index
                while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
                guard index > fraction else { throw Malformed(detail: "invalid number") }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                let exponent = index
                while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
                guard index > exponent else { throw Malformed(detail: "invalid number") }
            }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        mutating func string() throws(Malformed) -> String {
            index += 1
            var scalars = String.UnicodeScalarView()
            var run = index
            func flush(_ end: Int) throws(Malformed) {
                guard end > run else { return }
                guard let text = String(validating: bytes[run..<end], as: UTF8.self) else {
                    throw Malformed(detail: "a string is not UTF-8")
                }
                scalars.append(contentsOf: text.unicodeScalars)
            }
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    try flush(index)
                    index += 1
                    return String(scalars)
                }
                guard byte >= 0x20 else { throw Malformed(detail: "a control character in a string") }
                if byte == UInt8(ascii: "\\") {
                    try flush(index)
                    index += 1
                    scalars.append(try escape())
                    run = index
                } else {
                    index += 1
                }
            }
            throw Malformed(detail: "unterminated string")
        }

        mutating func escape() throws(Malformed) -> Unicode.Scalar {
            do {
                return try JSONEscape.read(bytes, at: &index)
            } catch {
                throw Malformed(detail: error.detail)
            }
        }
    }
}
