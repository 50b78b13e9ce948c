/// The certificates of an attestation statement, read from its CBOR (`fido_cred_attstmt_ptr`).
///
/// libfido2 1.12 keeps only the first x5c certificate (`fido_cred_x5c_ptr`), but a key may send
/// its intermediates after it, and a vendor root verifies only with them. The statement is read
/// strictly: one definite-length map with text keys, no duplicates, shortest-form lengths, no
/// trailing bytes; `x5c` an array of 1 to `maximumCertificates` non-empty byte strings.
struct AttestationStatement: Equatable {
    static let maximumCertificates = 8

    /// x5c as the key sent it: the attestation certificate first, then intermediates.
    let certificates: [[UInt8]]

    static func parse(_ bytes: [UInt8]) throws(FIDO2Error) -> AttestationStatement {
        var reader = StrictCBORReader(bytes)
        let entries = try reader.readMapHeader()
        var seen: Set<String> = []
        var certificates: [[UInt8]] = []
        for _ in 0..<entries {
            let key = try reader.readText()
            guard seen.insert(key).inserted else { throw malformed("the member \"\(key)\" appears twice") }
            if key == "x5c" {
                let count = try reader.readArrayHeader()
                guard (1...maximumCertificates).contains(count) else {
                    throw malformed("x5c holds \(count) certificates (1 to \(maximumCertificates) allowed)")
                }
                for _ in 0..<count {
                    let certificate = try reader.readBytes()
                    guard !certificate.isEmpty else { throw malformed("an empty x5c certificate") }
                    certificates.append(certificate)
                }
            } else {
                try reader.skipValue(depth: 0)
            }
        }
        guard reader.isAtEnd else { throw malformed("bytes after the statement") }
        return AttestationStatement(certificates: certificates)
    }

    static func malformed(_ detail: String) -> FIDO2Error {
        FIDO2Error(.attestationRejected, "The key's attestation statement is malformed (\(detail)); the credential is not accepted.")
    }
}

/// A CBOR reader for the few shapes an attestation statement has; anything indefinite, tagged,
/// floating or not in shortest form is refused.
struct StrictCBORReader {
    private let bytes: [UInt8]
    private var index = 0
    static let maximumDepth = 4

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { index == bytes.count }

    mutating func readMapHeader() throws(FIDO2Error) -> Int { try readLength(major: 5, what: "a map") }
    mutating func readArrayHeader() throws(FIDO2Error) -> Int { try readLength(major: 4, what: "an array") }

    mutating func readBytes() throws(FIDO2Error) -> [UInt8] {
        let count = try readLength(major: 2, what: "a byte string")
        return Array(try take(count))
    }

    mutating func readText() throws(FIDO2Error) -> String {
        let count = try readLength(major: 3, what: "a text key")
        guard let text = String(validating: try take(count), as: UTF8.self) else {
            throw AttestationStatement.malformed("a key that is not UTF-8")
        }
        return text
    }

    /// Skips one integer, string, array or map.
    mutating func skipValue(depth: Int) throws(FIDO2Error) {
        guard depth < Self.maximumDepth else { throw AttestationStatement.malformed("nesting too deep") }
        let (major, argument) = try readHead()
        switch major {
        case 0, 1: return
        case 2, 3: _ = try take(argument)
        case 4: for _ in 0..<argument { try skipValue(depth: depth + 1) }
        case 5: for _ in 0..<(argument * 2) { try skipValue(depth: depth + 1) }
        default: throw AttestationStatement.malformed("a tag, float or simple value")
        }
    }

    private mutating func readLength(major expected: UInt8, what: String) throws(FIDO2Error) -> Int {
        let (major, argument) = try readHead()
        guard major == expected else { throw AttestationStatement.malformed("expected \(what)") }
        return argument
    }

    /// The major type and its argument in shortest form; lengths are bounded by the input.
    private mutating func readHead() throws(FIDO2Error) -> (UInt8, Int) {
        guard let initial = try take(1).first else { throw AttestationStatement.malformed("truncated") }
        let major = initial >> 5
        let info = initial & 0x1f
        let argument: UInt64
        switch info {
        case 0..<24: argument = UInt64(info)
        case 24...27:
            let size = 1 << Int(info - 24)
            argument = try take(size).reduce(0) { $0 << 8 | UInt64($1) }
            let smallest: UInt64 = info == 24 ? 24 : 1 << (8 * UInt64(size / 2))
            guard argument >= smallest else { throw AttestationStatement.malformed("a length not in shortest form") }
        default: throw AttestationStatement.malformed("an indefinite length or reserved value")
        }
        if major >= 2, major <= 5, argument > UInt64(bytes.count - index) {
            throw AttestationStatement.malformed("a length beyond the statement")
        }
        return (major, major >= 2 ? Int(argument) : 0)
    }

    private mutating func take(_ count: Int) throws(FIDO2Error) -> ArraySlice<UInt8> {
        guard count <= bytes.count - index else { throw AttestationStatement.malformed("truncated") }
        defer { index += count }
        return bytes[index..<(index + count)]
    }
}
