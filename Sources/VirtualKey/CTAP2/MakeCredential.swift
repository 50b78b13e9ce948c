import Foundation

extension VirtualAuthenticator {
    /// authenticatorMakeCredential (CTAP 2.1 §6.1).
    func makeCredential(_ parameters: CBORValue, _ context: RequestContext) throws(CTAP2Status) -> CBORValue {
        let clientDataHash = try parameters.requiredClientDataHash(1)
        let rp = try parameters.required(2)
        let rpID = try rp.requiredText("id")
        let user = try parameters.required(3)
        let userID = try userHandle(user)
        let algorithm = try chooseAlgorithm(try parameters.required(4))
        let excluded = try parameters.credentialIDs(5)
        let options = try parameters.options(7)
        if options["up"] == false { throw .invalidOption }
        let resident = options["rk"] ?? false
        let protection = try credProtect(parameters)

        let verified = try verifyUser(
            parameters: parameters, paramKey: 8, protocolKey: 9, options: options,
            clientDataHash: clientDataHash, rpID: rpID, permission: Self.permissionMakeCredential, context: context)
        try requireVerificationIfAlwaysUV(verified: verified)
        let pinSet = try withState { state, _ in state.pinHash != nil }
        if pinSet, !verified { throw .pinRequired }

        let rpIDHash = AuthenticatorData.rpIDHash(rpID)
        let wrapping = try withState { state, _ in CredentialWrapping(masterSecret: Array(state.masterSecret)) }
        if excluded.contains(where: { wrapping.unwrap($0, rpIDHash: rpIDHash) != nil }) {
            try presence.collect(context)
            throw .credentialExcluded
        }
        try presence.collect(context)

        let privateKey = algorithm.generatePrivateKey()
        guard let credentialID = try? wrapping.wrap(.init(algorithm: algorithm, resident: resident, protection: protection ?? 1, privateKey: privateKey), rpIDHash: rpIDHash),
              let publicKey = try? algorithm.publicCOSEKey(privateKey: privateKey)
        else { throw .other }
        let counter = try withState { state, _ throws(CTAP2Status) in
            if resident {
                try storeResident(&state, .init(
                    credentialID: Data(credentialID), rpID: rpID, userID: Data(userID),
                    userName: try user.optionalText("name"), userDisplayName: try user.optionalText("displayName"),
                    createdAt: Date()))
            }
            state.signatureCounter &+= 1
            return state.signatureCounter
        }
        let authData = AuthenticatorData(
            rpIDHash: rpIDHash,
            flags: AuthenticatorData.flagUserPresent | (verified ? AuthenticatorData.flagUserVerified : 0),
            signCount: counter,
            attestedCredential: (aaguidBytes, credentialID, publicKey),
            extensions: protection.map { .map(["credProtect": .int(Int($0))]) }).bytes
        let (format, statement) = try attestationStatement(
            authData: authData, clientDataHash: clientDataHash, algorithm: algorithm, privateKey: privateKey)
        logger.info("credential created", metadata: ["rp": "\(rpID)", "alg": "\(algorithm)", "resident": "\(resident)"])
        return .map([1: .text(format), 2: .bytes(authData), 3: statement])
    }

    /// The credProtect extension input (CTAP 2.1 §12.1); other extensions are ignored.
    private func credProtect(_ parameters: CBORValue) throws(CTAP2Status) -> UInt8? {
        guard let extensions = parameters[6] else { return nil }
        guard extensions.mapValue != nil else { throw .cborUnexpectedType }
        guard let value = extensions["credProtect"] else { return nil }
        guard let level = value.intValue, (1...3).contains(level) else { throw .invalidParameter }
        return UInt8(level)
    }

    private func userHandle(_ user: CBORValue) throws(CTAP2Status) -> [UInt8] {
        guard user.mapValue != nil else { throw .cborUnexpectedType }
        guard let id = user["id"] else { throw .missingParameter }
        guard let bytes = id.bytesValue else { throw .cborUnexpectedType }
        guard (1...64).contains(bytes.count) else { throw .invalidLength }
        return bytes
    }

    /// The first supported algorithm in the platform's preference order.
    private func chooseAlgorithm(_ list: CBORValue) throws(CTAP2Status) -> COSEAlgorithm {
        guard let entries = list.arrayValue else { throw .cborUnexpectedType }
        for entry in entries {
            guard entry.mapValue != nil, let alg = entry["alg"]?.intValue else { throw .cborUnexpectedType }
            if try entry.requiredText("type") == "public-key", let algorithm = COSEAlgorithm(rawValue: alg) {
                return algorithm
            }
        }
        throw .unsupportedAlgorithm
    }

    /// One resident credential per (rpID, user handle): a new one replaces the old (§6.1.2 step 17).
    private func storeResident(_ state: inout AuthenticatorState, _ credential: AuthenticatorState.ResidentCredential) throws(CTAP2Status) {
        state.residentCredentials.removeAll { $0.rpID == credential.rpID && $0.userID == credential.userID }
        guard state.residentCredentials.count < AuthenticatorState.maxResidentCredentials else { throw .keyStoreFull }
        state.residentCredentials.append(credential)
    }

    /// Packed (WebAuthn §8.2): sig over authData || clientDataHash; "none" has an empty statement.
    private func attestationStatement(
        authData: [UInt8], clientDataHash: [UInt8], algorithm: COSEAlgorithm, privateKey: [UInt8]
    ) throws(CTAP2Status) -> (String, CBORValue) {
        let signed = authData + clientDataHash
        do {
            switch configuration.attestation {
            case .none:
                return ("none", .map([:]))
            case .self:
                let signature = try algorithm.sign(signed, privateKey: privateKey)
                return ("packed", .map(["alg": .int(algorithm.rawValue), "sig": .bytes(signature)]))
            case .packed:
                let signature = try TestAttestation.sign(signed)
                return ("packed", .map([
                    "alg": .int(COSEAlgorithm.es256.rawValue), "sig": .bytes(signature),
                    "x5c": .array([.bytes(TestAttestation.certificateDER)]),
                ]))
            case .packedChain, .packedBrokenChain:
                let signature = try TestAttestation.sign(signed, key: TestAttestation.chainPrivateKeyRaw)
                let intermediate = configuration.attestation == .packedChain
                    ? TestAttestation.chainIntermediateCertificateDER : TestAttestation.chainImpostorIntermediateCertificateDER
                return ("packed", .map([
                    "alg": .int(COSEAlgorithm.es256.rawValue), "sig": .bytes(signature),
                    "x5c": .array([.bytes(TestAttestation.chainCertificateDER), .bytes(intermediate)]),
                ]))
            }
        } catch {
            throw .other
        }
    }
}
