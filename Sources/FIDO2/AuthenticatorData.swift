/// libfido2 1.12 hands out authenticator data wrapped in a CBOR byte string; this strips the
/// wrapper strictly (definite length, minimal header, no trailing bytes).
enum CBORByteString {
    static func unwrap(_ encoded: [UInt8]) throws(FIDO2Error) -> [UInt8] {
        guard let first = encoded.first, first >> 5 == 2 else { throw malformed("not a byte string") }
        let info = first & 0x1f
        var length = 0
        var header = 1
        switch info {
        case 0..<24:
            length = Int(info)
        case 24:
            header = 2
            guard encoded.count >= 2, encoded[1] >= 24 else { throw malformed("bad 1-byte length") }
            length = Int(encoded[1])
        case 25:
            header = 3
            guard encoded.count >= 3 else { throw malformed("truncated length") }
            length = Int(encoded[1]) << 8 | Int(encoded[2])
            guard length > 0xff else { throw malformed("non-minimal length") }
        default:
            throw malformed("unsupported length encoding")
        }
        guard encoded.count - header == length else { throw malformed("length mismatch") }
        return Array(encoded[header...])
    }

    private static func malformed(_ detail: String) -> FIDO2Error {
        FIDO2Error(.malformedReply, "The key returned malformed authenticator data (\(detail)).")
    }
}

/// The fixed prefix of authenticator data: rpIdHash(32) ‖ flags(1) ‖ signCount(4, big-endian).
struct AuthenticatorDataPrefix: Equatable {
    let rpIDHash: [UInt8]
    let flags: AuthenticatorFlags
    let signCount: UInt32

    init(_ raw: [UInt8]) throws(FIDO2Error) {
        guard raw.count >= 37 else {
            throw FIDO2Error(.malformedReply, "The key returned authenticator data shorter than 37 bytes.")
        }
        rpIDHash = Array(raw[0..<32])
        flags = AuthenticatorFlags(rawValue: raw[32])
        signCount = raw[33..<37].reduce(0) { $0 << 8 | UInt32($1) }
    }
}
