/// An ECDSA P-256 signature as the two unsigned big-endian integers (r, s) OpenSSH encodes as
/// mpints; parsed strictly from the DER `SEQUENCE { INTEGER r, INTEGER s }` (X.690 §8.3, §10.1)
/// a key returns.
public struct ECDSASignature: Sendable, Equatable {
    /// r and s without sign padding or leading zeros, each 1...32 bytes and non-zero.
    public let r: [UInt8]
    public let s: [UInt8]

    public init(r: [UInt8], s: [UInt8]) {
        self.r = r
        self.s = s
    }

    /// Parses DER; rejects indefinite or non-minimal lengths, negative or non-minimal integers,
    /// zero, integers over 256 bits and trailing bytes.
    public init(derEncoded der: [UInt8]) throws(FIDO2Error) {
        var reader = DERReader(der[...])
        var sequence = try reader.readElement(tag: 0x30)
        guard reader.isAtEnd else { throw DERReader.malformed("trailing bytes after the signature") }
        let r = try sequence.readUnsignedInteger()
        let s = try sequence.readUnsignedInteger()
        guard sequence.isAtEnd else { throw DERReader.malformed("extra elements in the signature") }
        self.init(r: r, s: s)
    }

    /// r and s left-padded to 32 bytes each (the raw P1363 form).
    public var rawRepresentation: [UInt8] {
        [UInt8](repeating: 0, count: 32 - r.count) + r + [UInt8](repeating: 0, count: 32 - s.count) + s
    }
}

struct DERReader {
    private var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    var isAtEnd: Bool { bytes.isEmpty }

    /// Reads one element with `tag` and returns a reader over its contents.
    mutating func readElement(tag: UInt8) throws(FIDO2Error) -> DERReader {
        guard let actual = bytes.popFirst() else { throw Self.malformed("truncated") }
        guard actual == tag else { throw Self.malformed("unexpected tag 0x\(String(actual, radix: 16))") }
        let length = try readLength()
        guard bytes.count >= length else { throw Self.malformed("truncated") }
        let contents = bytes.prefix(length)
        bytes = bytes.dropFirst(length)
        return DERReader(contents)
    }

    /// Reads an INTEGER that must be positive and at most 256 bits; returns its magnitude.
    mutating func readUnsignedInteger() throws(FIDO2Error) -> [UInt8] {
        let value = try readElement(tag: 0x02).bytes
        guard let first = value.first else { throw Self.malformed("empty integer") }
        guard first & 0x80 == 0 else { throw Self.malformed("negative integer") }
        if value.count > 1 && first == 0 && value[value.startIndex + 1] & 0x80 == 0 {
            throw Self.malformed("non-minimal integer")
        }
        let magnitude = Array(value.drop(while: { $0 == 0 }))
        guard !magnitude.isEmpty else { throw Self.malformed("zero integer") }
        guard magnitude.count <= 32 else { throw Self.malformed("integer longer than 256 bits") }
        return magnitude
    }

    private mutating func readLength() throws(FIDO2Error) -> Int {
        guard let first = bytes.popFirst() else { throw Self.malformed("truncated length") }
        if first < 0x80 { return Int(first) }
        // A P-256 signature is at most 72 bytes, so only the one-byte long form can be valid.
        guard first == 0x81, let next = bytes.popFirst() else { throw Self.malformed("unsupported length form") }
        guard next >= 0x80 else { throw Self.malformed("non-minimal length") }
        return Int(next)
    }

    static func malformed(_ detail: String) -> FIDO2Error {
        FIDO2Error(.malformedReply, "The key returned a malformed ECDSA signature (\(detail)).")
    }
}
