extension VirtualAuthenticator {
    static let permissionMakeCredential: UInt8 = 0x01
    static let permissionGetAssertion: UInt8 = 0x02

    /// Checks pinUvAuthParam / the uv option of makeCredential or getAssertion
    /// (CTAP 2.1 §6.1.2 steps 5–11, §6.2.2 steps 5–9). Returns whether the user was verified.
    func verifyUser(
        parameters: CBORValue, paramKey: Int, protocolKey: Int, options: [String: Bool],
        clientDataHash: [UInt8], rpID: String, permission: UInt8, context: RequestContext
    ) throws(CTAP2Status) -> Bool {
        guard let paramValue = parameters[paramKey] else {
            guard options["uv"] == true else { return false }
            guard configuration.builtInUV else { throw .invalidOption }
            try performBuiltInUV()
            return true
        }
        guard let param = paramValue.bytesValue else { throw .cborUnexpectedType }
        let pinProtocol = try pinProtocol(parameters, key: protocolKey)
        if param.isEmpty {
            // Used by platforms to wait for a touch without burning a PIN retry (§6.1.2 step 1).
            try presence.collect(context)
            let pinSet = try withState { state, _ in state.pinHash != nil }
            throw pinSet ? .pinAuthInvalid : .pinNotSet
        }
        return try withState { state, session throws(CTAP2Status) in
            guard state.pinHash != nil || configuration.builtInUV else { throw .pinNotSet }
            guard var token = session.pinToken,
                  pinProtocol.verify(key: token.value, clientDataHash, signature: param)
            else { throw .pinAuthInvalid }
            if let permissions = token.permissions {
                guard permissions & permission != 0 else { throw .unauthorizedPermission }
                if let boundRP = token.rpID, boundRP != rpID { throw .unauthorizedPermission }
                token.rpID = rpID
                session.pinToken = token
            }
            return true
        }
    }

    /// The fingerprint reader: succeeds, or with `builtInUVFails` costs one of `uvRetries`
    /// (CTAP 2.1 §6.5.5.7.3: UV_INVALID, UV_BLOCKED once none are left).
    func performBuiltInUV() throws(CTAP2Status) {
        try withState { _, session throws(CTAP2Status) in
            guard session.uvRetries > 0 else { throw .uvBlocked }
            guard configuration.builtInUVFails else { return }
            session.uvRetries -= 1
            throw session.uvRetries == 0 ? .uvBlocked : .uvInvalid
        }
    }

    /// alwaysUv (CTAP 2.1 §6.1.2 step 6, §6.2.2 step 6): an unverified request is refused with
    /// PUAT_REQUIRED (0x36), or PIN_NOT_SET when the key has no way to verify anyone yet.
    func requireVerificationIfAlwaysUV(verified: Bool) throws(CTAP2Status) {
        guard configuration.alwaysUV, !verified else { return }
        let pinSet = try withState { state, _ in state.pinHash != nil }
        throw pinSet || configuration.builtInUV ? .pinRequired : .pinNotSet
    }

    func pinProtocol(_ parameters: CBORValue, key: Int) throws(CTAP2Status) -> PinUvAuthProtocol {
        guard let value = parameters[key] else { throw .missingParameter }
        guard let number = value.intValue else { throw .cborUnexpectedType }
        guard let pinProtocol = PinUvAuthProtocol(rawValue: number) else { throw .invalidParameter }
        return pinProtocol
    }
}
