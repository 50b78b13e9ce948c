import CFIDO2

/// Owns one `fido_assert_t` for one getAssertion call; freed in `deinit`.
final class AssertionObject {
    private let pointer: OpaquePointer
    private let context: ErrorContext

    init(context: ErrorContext) throws(FIDO2Error) {
        guard let pointer = fido_assert_new() else {
            throw FIDO2Error(.internalError, "libfido2 could not allocate an assertion.", call: "fido_assert_new")
        }
        self.pointer = pointer
        self.context = context
    }

    deinit {
        var owned: OpaquePointer? = pointer
        fido_assert_free(&owned)
    }

    func configure(
        _ request: AssertionRequest, userPresence: fido_opt_t, userVerification: fido_opt_t
    ) throws(FIDO2Error) {
        try check(fido_assert_set_rp(pointer, request.rpID), "fido_assert_set_rp")
        try check(
            fido_assert_set_clientdata_hash(pointer, request.clientDataHash, request.clientDataHash.count),
            "fido_assert_set_clientdata_hash")
        for credential in request.allowedCredentials {
            try check(
                fido_assert_allow_cred(pointer, credential.credentialID, credential.credentialID.count),
                "fido_assert_allow_cred")
        }
        try check(fido_assert_set_up(pointer, userPresence), "fido_assert_set_up")
        try check(fido_assert_set_uv(pointer, userVerification), "fido_assert_set_uv")
    }

    func get(on device: OpaquePointer, pin: String?) throws(FIDO2Error) {
        let status = withOptionalCString(pin) { fido_dev_get_assert(device, pointer, $0) }
        try check(status, "fido_dev_get_assert")
    }

    /// Copies the first statement out and verifies it with libfido2 against the enrolled key.
    func extract(_ request: AssertionRequest, device: DeviceAddress) throws(FIDO2Error) -> Assertion {
        guard fido_assert_count(pointer) >= 1 else { throw malformed("no assertion") }
        let id = Bytes.copy(fido_assert_id_ptr(pointer, 0), fido_assert_id_len(pointer, 0))
        // With one allowed credential a CTAP2 key may omit the id; it is then that credential.
        let credential: CredentialReference
        if id.isEmpty, request.allowedCredentials.count == 1 {
            credential = request.allowedCredentials[0]
        } else if let match = request.allowedCredentials.first(where: { $0.credentialID == id }) {
            credential = match
        } else {
            throw malformed("a credential id that was not asked for")
        }
        try verify(with: credential)
        let authDataCBOR = Bytes.copy(fido_assert_authdata_ptr(pointer, 0), fido_assert_authdata_len(pointer, 0))
        let authData = try CBORByteString.unwrap(authDataCBOR)
        let prefix = try AuthenticatorDataPrefix(authData)
        let flags = AuthenticatorFlags(rawValue: fido_assert_flags(pointer, 0))
        let signCount = fido_assert_sigcount(pointer, 0)
        guard prefix.flags == flags, prefix.signCount == signCount else {
            throw malformed("flags or counter that disagree with the authenticator data")
        }
        return Assertion(
            device: device, credential: credential, authenticatorData: authData, authenticatorDataCBOR: authDataCBOR,
            flags: flags, signCount: signCount, signature: try signature(credential.algorithm))
    }

    /// `fido_assert_verify` checks the rp id hash, the UP/UV flags we required and the signature.
    private func verify(with credential: CredentialReference) throws(FIDO2Error) {
        let key = try PublicKeyObject(algorithm: credential.algorithm, bytes: credential.publicKey)
        let status = key.withKey { algorithm, key in fido_assert_verify(pointer, 0, algorithm, key) }
        guard status == 0 else {
            throw FIDO2Error(
                .invalidSignature,
                "The signature from the security key does not verify against the enrolled public key"
                    + (credential.label.map { " (\($0))" } ?? "") + "; it is not used.",
                code: status, call: "fido_assert_verify", device: context.device)
        }
    }

    private func signature(_ algorithm: Algorithm) throws(FIDO2Error) -> AssertionSignature {
        let bytes = Bytes.copy(fido_assert_sig_ptr(pointer, 0), fido_assert_sig_len(pointer, 0))
        switch algorithm {
        case .es256:
            return .es256(try ECDSASignature(derEncoded: bytes), der: bytes)
        case .eddsa:
            guard bytes.count == 64 else { throw malformed("an Ed25519 signature of \(bytes.count) bytes") }
            return .eddsa(bytes)
        }
    }

    private func malformed(_ detail: String) -> FIDO2Error {
        FIDO2Error(.malformedReply, "The key returned a malformed assertion (\(detail)).", device: context.device)
    }

    private func check(_ status: Int32, _ call: String) throws(FIDO2Error) {
        try FIDO2Error.check(status, call, context: context)
    }
}
