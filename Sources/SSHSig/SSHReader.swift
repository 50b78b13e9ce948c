/// Reads RFC 4251 section 5 data types from a byte slice, strictly: truncation, oversized length
/// prefixes, non-minimal integers and (through `finish()`) trailing bytes are all errors.
public struct SSHReader {
    /// Upper bound for any length prefix; nothing in the formats read here comes close.
    public static let defaultLengthLimit = 1 << 20

    private var bytes: ArraySlice<UInt8>
    private let lengthLimit: Int

    public init(_ bytes: ArraySlice<UInt8>, lengthLimit: Int = SSHReader.defaultLengthLimit) {
        self.bytes = bytes
        self.lengthLimit = lengthLimit
    }

    public init(_ bytes: [UInt8], lengthLimit: Int = SSHReader.defaultLengthLimit) {
        self.init(bytes[...], lengthLimit: lengthLimit)
    }

    public var remainingCount: Int { bytes.count }
    public var isAtEnd: Bool { bytes.isEmpty }

    public mutating func readBytes(_ count: Int) throws(SSHSigError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.count else { throw .truncated }
        let result = bytes.prefix(count)
        bytes = bytes.dropFirst(count)
        return result
    }

    public mutating func readByte() throws(SSHSigError) -> UInt8 {
        guard let byte = bytes.first else { throw .truncated }
        bytes = bytes.dropFirst()
        return byte
    }

    public mutating func readUInt32() throws(SSHSigError) -> UInt32 {
        let raw = try readBytes(4)
        return raw.reduce(0) { ($0 << 8) | UInt32($1) }
    }

    /// `string`: uint32 length followed by that many bytes.
    public mutating func readString() throws(SSHSigError) -> ArraySlice<UInt8> {
        let length = try readUInt32()
        guard UInt64(length) <= UInt64(lengthLimit) else {
            throw .lengthTooLarge(declared: length, limit: lengthLimit)
        }
        return try readBytes(Int(length))
    }

    /// A `string` holding printable UTF-8 text (no control characters, no NUL): names, namespaces,
    /// applications, comments.
    public mutating func readText(field: String) throws(SSHSigError) -> String {
        try SSHText.decode(try readString(), field: field)
    }

    /// `mpint` that must be positive, returned as its unsigned big-endian magnitude without leading
    /// zeros. Rejects negative values and any encoding that is not minimal (RFC 4251: "unnecessary
    /// leading bytes with the value 0 or 255 MUST NOT be included").
    public mutating func readPositiveMPInt() throws(SSHSigError) -> [UInt8] {
        let raw = try readString()
        guard let first = raw.first else { return [] }
        guard first & 0x80 == 0 else { throw .negativeMPInt }
        if first == 0 {
            guard let second = raw.dropFirst().first, second & 0x80 != 0 else { throw .nonCanonicalMPInt }
            return Array(raw.dropFirst())
        }
        return Array(raw)
    }

    /// Fails unless every byte has been consumed.
    public func finish() throws(SSHSigError) {
        guard bytes.isEmpty else { throw .trailingBytes(count: bytes.count) }
    }
}

/// Text fields inside wire structures.
enum SSHText {
    static func decode(_ bytes: ArraySlice<UInt8>, field: String) throws(SSHSigError) -> String {
        guard let text = String(validating: bytes, as: UTF8.self), isPrintable(text) else {
            throw .invalidText(field: field)
        }
        return text
    }

    /// No C0/C1 control characters or DEL: text that is safe to show and to put on one line.
    static func isPrintable(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            !(scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value))
        }
    }
}
