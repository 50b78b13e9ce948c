/// A strict, bounds-checked CBOR decoder for CTAP2 messages.
///
/// Rejects: truncation, trailing bytes, indefinite lengths, non-shortest integer/length
/// encodings, floats, tags, simple values other than false/true/null, invalid UTF-8, duplicate
/// map keys, map keys out of canonical order, and nesting deeper than `maxDepth`.
public struct CBORDecoder {
    public static let maxDepth = 16

    private let all: [UInt8]
    private var input: ArraySlice<UInt8>

    private init(_ bytes: [UInt8]) {
        all = bytes
        input = bytes[...]
    }

    /// Decodes exactly one CBOR item that spans all of `bytes`.
    public static func decode(_ bytes: [UInt8]) throws(VirtualKeyError) -> CBORValue {
        var decoder = CBORDecoder(bytes)
        let value = try decoder.readItem(depth: 0)
        guard decoder.input.isEmpty else { throw .invalidCBOR("trailing bytes") }
        return value
    }

    private mutating func readByte() throws(VirtualKeyError) -> UInt8 {
        guard let byte = input.popFirst() else { throw .invalidCBOR("truncated") }
        return byte
    }

    private mutating func readBytes(_ count: UInt64) throws(VirtualKeyError) -> [UInt8] {
        guard count <= UInt64(input.count) else { throw .invalidCBOR("truncated") }
        let end = input.startIndex + Int(count)
        defer { input = input[end...] }
        return Array(input[input.startIndex..<end])
    }

    private mutating func readArgument(_ info: UInt8) throws(VirtualKeyError) -> UInt64 {
        let width: Int
        switch info {
        case 0..<24: return UInt64(info)
        case 24: width = 1
        case 25: width = 2
        case 26: width = 4
        case 27: width = 8
        default: throw .invalidCBOR("indefinite length or reserved additional info \(info)")
        }
        var value: UInt64 = 0
        for byte in try readBytes(UInt64(width)) { value = value << 8 | UInt64(byte) }
        let minimum: UInt64 = width == 1 ? 24 : 1 << (UInt64(width) * 4)
        guard value >= minimum else { throw .invalidCBOR("non-shortest integer encoding") }
        return value
    }

    private mutating func readItem(depth: Int) throws(VirtualKeyError) -> CBORValue {
        guard depth <= Self.maxDepth else { throw .invalidCBOR("nesting too deep") }
        let initial = try readByte()
        let major = initial >> 5
        let info = initial & 0x1f
        switch major {
        case 0: return .unsigned(try readArgument(info))
        case 1: return .negative(try readArgument(info))
        case 2: return .bytes(try readBytes(try readArgument(info)))
        case 3: return .text(try readText(length: try readArgument(info)))
        case 4: return .array(try readArray(count: try readArgument(info), depth: depth))
        case 5: return .map(try readMap(count: try readArgument(info), depth: depth))
        case 7: return try readSimple(info)
        default: throw .invalidCBOR("tags are not allowed")
        }
    }

    private mutating func readText(length: UInt64) throws(VirtualKeyError) -> String {
        let bytes = try readBytes(length)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .invalidCBOR("invalid UTF-8 in text string")
        }
        return text
    }

    private mutating func readArray(count: UInt64, depth: Int) throws(VirtualKeyError) -> [CBORValue] {
        // Every item takes at least one byte: a count beyond the input is truncation.
        guard count <= UInt64(input.count) else { throw .invalidCBOR("truncated") }
        var items: [CBORValue] = []
        for _ in 0..<count { items.append(try readItem(depth: depth + 1)) }
        return items
    }

    private mutating func readMap(count: UInt64, depth: Int) throws(VirtualKeyError) -> [CBORValue: CBORValue] {
        guard count <= UInt64(input.count / 2) else { throw .invalidCBOR("truncated") }
        var entries: [CBORValue: CBORValue] = [:]
        var previousKey: [UInt8]?
        for _ in 0..<count {
            let keyStart = input.startIndex
            let key = try readItem(depth: depth + 1)
            let keyBytes = Array(all[keyStart..<input.startIndex])
            if let previousKey, !CBOREncoder.canonicalOrder(previousKey, keyBytes) {
                throw .invalidCBOR(previousKey == keyBytes ? "duplicate map key" : "map keys not in canonical order")
            }
            previousKey = keyBytes
            entries[key] = try readItem(depth: depth + 1)
        }
        return entries
    }

    private func readSimpleFailure() -> VirtualKeyError { .invalidCBOR("floats and unknown simple values are not allowed") }

    private mutating func readSimple(_ info: UInt8) throws(VirtualKeyError) -> CBORValue {
        switch info {
        case 20: return .bool(false)
        case 21: return .bool(true)
        case 22: return .null
        default: throw readSimpleFailure()
        }
    }
}
