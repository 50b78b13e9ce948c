import CFIDO2

/// Owns one `fido_cred_t` for one makeCredential call; freed in `deinit`.
final class CredentialObject {
    private let pointer: OpaquePointer
    private let context: ErrorContext

    init(context: ErrorContext) throws(FIDO2Error) {
        guard let pointer = fido_cred_new() else {
            throw FIDO2Error(.internalError, "libfido2 could not allocate a credential.", call: "fido_cred_new")
        }
        self.pointer = pointer
        self.context = context
    }

    deinit {
        var owned: OpaquePointer? = pointer
        fido_cred_free(&owned)
    }

    func configure(_ request: CredentialRequest, userVerification: fido_opt_t) throws(FIDO2Error) {
        try check(fido_cred_set_type(pointer, request.algorithm.coseIdentifier), "fido_cred_set_type")
        try check(
            fido_cred_set_clientdata_hash(pointer, request.clientDataHash, request.clientDataHash.count),
            "fido_cred_set_clientdata_hash")
        try check(fido_cred_set_rp(pointer, request.rpID, nil), "fido_cred_set_rp")
        try check(
            fido_cred_set_user(pointer, request.userID, request.userID.count, request.userName, nil, nil),
            "fido_cred_set_user")
        try check(fido_cred_set_rk(pointer, request.residentKey ? FIDO_OPT_TRUE : FIDO_OPT_OMIT), "fido_cred_set_rk")
        try check(fido_cred_set_uv(pointer, userVerification), "fido_cred_set_uv")
        for id in request.excludedCredentialIDs {
            try check(fido_cred_exclude(pointer, id, id.count), "fido_cred_exclude")
        }
    }

    func make(on device: OpaquePointer, pin: String?) throws(FIDO2Error) {
        let status = withOptionalCString(pin) { fido_dev_make_cred(device, pointer, $0) }
        try check(status, "fido_dev_make_cred")
    }

    /// Copies everything out and verifies the attestation signature with libfido2.
    func extract(_ request: CredentialRequest, device: DeviceAddress) throws(FIDO2Error) -> Credential {
        let authDataCBOR = Bytes.copy(fido_cred_authdata_ptr(pointer), fido_cred_authdata_len(pointer))
        let authData = Bytes.copy(fido_cred_authdata_raw_ptr(pointer), fido_cred_authdata_raw_len(pointer))
        let certificate = Bytes.copy(fido_cred_x5c_ptr(pointer), fido_cred_x5c_len(pointer))
        let signature = Bytes.copy(fido_cred_sig_ptr(pointer), fido_cred_sig_len(pointer))
        let format = fido_cred_fmt(pointer).map { String(cString: $0) } ?? ""
        let statement = Bytes.copy(fido_cred_attstmt_ptr(pointer), fido_cred_attstmt_len(pointer))
        let trust = try verifyAttestation(
            request, certificate: certificate, statement: statement, signature: signature, format: format)
        let credential = Credential(
            device: device, rpID: request.rpID, userID: request.userID, algorithm: request.algorithm,
            publicKey: try publicKey(request.algorithm),
            credentialID: try nonEmpty(Bytes.copy(fido_cred_id_ptr(pointer), fido_cred_id_len(pointer)), "credential id"),
            flags: AuthenticatorFlags(rawValue: fido_cred_flags(pointer)), signCount: fido_cred_sigcount(pointer),
            authenticatorData: try nonEmpty(authData, "authenticator data"), authenticatorDataCBOR: authDataCBOR,
            aaguid: Bytes.copy(fido_cred_aaguid_ptr(pointer), fido_cred_aaguid_len(pointer)),
            clientDataHash: request.clientDataHash,
            attestation: Attestation(
                format: format,
                statementCBOR: statement,
                signature: signature, certificate: certificate.isEmpty ? nil : certificate, trust: trust))
        guard credential.flags.contains(.userPresent) else {
            throw FIDO2Error(.attestationRejected, "The key created the credential without user presence.")
        }
        return credential
    }

    private func verifyAttestation(
        _ request: CredentialRequest, certificate: [UInt8], statement: [UInt8], signature: [UInt8], format: String
    ) throws(FIDO2Error) -> AttestationTrust {
        let trust: AttestationTrust
        if !certificate.isEmpty {
            try checkAttestation(fido_cred_verify(pointer), "fido_cred_verify")
            trust = .certificateNotChecked
        } else if !signature.isEmpty {
            try checkAttestation(fido_cred_verify_self(pointer), "fido_cred_verify_self")
            trust = .selfAttested
        } else {
            trust = .unattested
        }
        guard let roots = request.attestationRoots else { return trust }
        guard trust == .certificateNotChecked else {
            throw FIDO2Error(
                .attestationRejected,
                "The key gave no attestation certificate (format \"\(format)\") but trusted roots are required.")
        }
        switch try roots.verify(chain: try attestationChain(statement, certificate: certificate)) {
        case .trusted:
            return .certificateTrusted
        case .untrusted(let reason):
            throw FIDO2Error(
                .attestationRejected, "The key's attestation certificate is not issued by a trusted root: \(reason).")
        }
    }

    /// x5c in full from the statement; its first certificate must be the one libfido2 verified.
    private func attestationChain(_ statement: [UInt8], certificate: [UInt8]) throws(FIDO2Error) -> [[UInt8]] {
        let chain = try AttestationStatement.parse(statement).certificates
        guard chain.first == certificate else {
            throw AttestationStatement.malformed("its x5c does not start with the attestation certificate")
        }
        return chain
    }

    private func checkAttestation(_ status: Int32, _ call: String) throws(FIDO2Error) {
        guard status == 0 else {
            throw FIDO2Error(
                .attestationRejected, "The key's attestation does not verify; the credential is not accepted.",
                code: status, call: call, device: context.device)
        }
    }

    private func publicKey(_ algorithm: Algorithm) throws(FIDO2Error) -> [UInt8] {
        let key = Bytes.copy(fido_cred_pubkey_ptr(pointer), fido_cred_pubkey_len(pointer))
        switch algorithm {
        case .es256:
            guard key.count == 64 else { throw malformed("ES256 public key of \(key.count) bytes") }
            return [0x04] + key
        case .eddsa:
            guard key.count == 32 else { throw malformed("EdDSA public key of \(key.count) bytes") }
            return key
        }
    }

    private func nonEmpty(_ bytes: [UInt8], _ what: String) throws(FIDO2Error) -> [UInt8] {
        guard !bytes.isEmpty else { throw malformed("empty \(what)") }
        return bytes
    }

    private func malformed(_ detail: String) -> FIDO2Error {
        FIDO2Error(.malformedReply, "The key returned a malformed credential (\(detail)).", device: context.device)
    }

    private func check(_ status: Int32, _ call: String) throws(FIDO2Error) {
        try FIDO2Error.check(status, call, context: context)
    }
}

/// Passes a Swift string as a C string, or NULL.
func withOptionalCString<T>(_ string: String?, _ body: (UnsafePointer<CChar>?) -> T) -> T {
    guard let string else { return body(nil) }
    return string.withCString { body($0) }
}
