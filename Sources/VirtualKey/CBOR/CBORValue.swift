/// The subset of CBOR (RFC 8949) that CTAP2 uses: integers, byte and text strings, arrays,
/// maps, booleans and null. No floats, tags, or indefinite lengths (CTAP2 §8 forbids them).
public indirect enum CBORValue: Hashable, Sendable {
    case unsigned(UInt64)
    /// A negative integer, stored as the CBOR argument `n` meaning the value `-1 - n`.
    case negative(UInt64)
    case bytes([UInt8])
    case text(String)
    case array([CBORValue])
    case map([CBORValue: CBORValue])
    case bool(Bool)
    case null

    /// A signed integer (CTAP map keys, COSE labels and algorithm ids).
    public static func int(_ value: Int) -> CBORValue {
        value >= 0 ? .unsigned(UInt64(value)) : .negative(UInt64(-1 - value))
    }

    public var intValue: Int? {
        switch self {
        case .unsigned(let n): n <= UInt64(Int.max) ? Int(n) : nil
        case .negative(let n): n <= UInt64(Int.max) ? -1 - Int(n) : nil
        default: nil
        }
    }

    public var bytesValue: [UInt8]? {
        if case .bytes(let b) = self { return b }
        return nil
    }

    public var textValue: String? {
        if case .text(let t) = self { return t }
        return nil
    }

    public var arrayValue: [CBORValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var mapValue: [CBORValue: CBORValue]? {
        if case .map(let m) = self { return m }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// Looks up an integer key in a map value.
    public subscript(key: Int) -> CBORValue? {
        mapValue?[.int(key)]
    }

    /// Looks up a text key in a map value.
    public subscript(key: String) -> CBORValue? {
        mapValue?[.text(key)]
    }
}

extension CBORValue: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral, ExpressibleByBooleanLiteral {
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(stringLiteral value: String) { self = .text(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
