import CFIDO2

/// Owns an `es256_pk_t` or `eddsa_pk_t` built from public key bytes; freed in `deinit`.
final class PublicKeyObject {
    private enum Owned {
        case es256(OpaquePointer)
        case eddsa(OpaquePointer)
    }

    private let owned: Owned

    init(algorithm: Algorithm, bytes: [UInt8]) throws(FIDO2Error) {
        switch algorithm {
        case .es256:
            guard bytes.count == 65 && bytes.first == 0x04 || bytes.count == 64 else {
                throw Self.invalid("an ES256 key must be 65 bytes starting with 0x04")
            }
            guard let key = es256_pk_new() else { throw Self.allocationFailed("es256_pk_new") }
            owned = .es256(key)
            try FIDO2Error.check(es256_pk_from_ptr(key, bytes, bytes.count), "es256_pk_from_ptr")
        case .eddsa:
            guard bytes.count == 32 else { throw Self.invalid("an EdDSA key must be 32 bytes") }
            guard let key = eddsa_pk_new() else { throw Self.allocationFailed("eddsa_pk_new") }
            owned = .eddsa(key)
            try FIDO2Error.check(eddsa_pk_from_ptr(key, bytes, bytes.count), "eddsa_pk_from_ptr")
        }
    }

    deinit {
        switch owned {
        case .es256(let key):
            var pointer: OpaquePointer? = key
            es256_pk_free(&pointer)
        case .eddsa(let key):
            var pointer: OpaquePointer? = key
            eddsa_pk_free(&pointer)
        }
    }

    /// Calls `body` with the COSE algorithm and the key pointer `fido_assert_verify` expects.
    func withKey<T>(_ body: (Int32, UnsafeRawPointer) -> T) -> T {
        switch owned {
        case .es256(let key): body(COSE_ES256, UnsafeRawPointer(key))
        case .eddsa(let key): body(COSE_EDDSA, UnsafeRawPointer(key))
        }
    }

    private static func invalid(_ detail: String) -> FIDO2Error {
        FIDO2Error(.invalidRequest, "The enrolled public key is malformed (\(detail)).")
    }

    private static func allocationFailed(_ call: String) -> FIDO2Error {
        FIDO2Error(.internalError, "libfido2 could not allocate a public key.", call: call)
    }
}
