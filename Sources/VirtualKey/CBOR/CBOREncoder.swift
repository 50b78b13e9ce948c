/// CTAP2 canonical CBOR encoding (CTAP 2.1 §8 "Message Encoding"): shortest-form integers and
/// lengths, definite lengths only, map keys sorted by the length of their encoding and then
/// bytewise (the "length-first" canonical order of RFC 7049 §3.9).
public enum CBOREncoder {
    public static func encode(_ value: CBORValue) -> [UInt8] {
        var out: [UInt8] = []
        append(value, to: &out)
        return out
    }

    private static func append(_ value: CBORValue, to out: inout [UInt8]) {
        switch value {
        case .unsigned(let n): appendHead(major: 0, argument: n, to: &out)
        case .negative(let n): appendHead(major: 1, argument: n, to: &out)
        case .bytes(let b):
            appendHead(major: 2, argument: UInt64(b.count), to: &out)
            out += b
        case .text(let t):
            let utf8 = Array(t.utf8)
            appendHead(major: 3, argument: UInt64(utf8.count), to: &out)
            out += utf8
        case .array(let items):
            appendHead(major: 4, argument: UInt64(items.count), to: &out)
            for item in items { append(item, to: &out) }
        case .map(let entries):
            appendHead(major: 5, argument: UInt64(entries.count), to: &out)
            let encoded = entries.map { (key: encode($0.key), value: encode($0.value)) }
            for entry in encoded.sorted(by: { canonicalOrder($0.key, $1.key) }) {
                out += entry.key
                out += entry.value
            }
        case .bool(let b): out.append(b ? 0xf5 : 0xf4)
        case .null: out.append(0xf6)
        }
    }

    private static func appendHead(major: UInt8, argument: UInt64, to out: inout [UInt8]) {
        let type = major << 5
        switch argument {
        case 0..<24: out.append(type | UInt8(argument))
        case 24...0xff: out += [type | 24, UInt8(argument)]
        case 0x100...0xffff: out.append(type | 25); appendBigEndian(argument, bytes: 2, to: &out)
        case 0x1_0000...0xffff_ffff: out.append(type | 26); appendBigEndian(argument, bytes: 4, to: &out)
        default: out.append(type | 27); appendBigEndian(argument, bytes: 8, to: &out)
        }
    }

    private static func appendBigEndian(_ value: UInt64, bytes: Int, to out: inout [UInt8]) {
        for shift in stride(from: (bytes - 1) * 8, through: 0, by: -8) {
            out.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }

    /// Length-first, then lexicographic comparison of encoded keys.
    static func canonicalOrder(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        if lhs.count != rhs.count { return lhs.count < rhs.count }
        return lhs.lexicographicallyPrecedes(rhs)
    }
}
