import Foundation

extension VirtualAuthenticator {
    static let nextAssertionWindow: Duration = .seconds(30)

    /// authenticatorGetAssertion (CTAP 2.1 §6.2).
    func getAssertion(_ parameters: CBORValue, _ context: RequestContext) throws(CTAP2Status) -> CBORValue {
        let rpID = try parameters.requiredText(1)
        let clientDataHash = try parameters.requiredClientDataHash(2)
        let allowList = try parameters.credentialIDs(3)
        let options = try parameters.options(5)
        if options["rk"] != nil { throw .unsupportedOption }
        let userPresence = options["up"] ?? true

        let verified = try verifyUser(
            parameters: parameters, paramKey: 6, protocolKey: 7, options: options,
            clientDataHash: clientDataHash, rpID: rpID, permission: Self.permissionGetAssertion, context: context)
        if userPresence { try requireVerificationIfAlwaysUV(verified: verified) }
        let candidates = try findCredentials(rpID: rpID, allowList: allowList, verified: verified)
        guard let first = candidates.first else { throw .noCredentials }
        if userPresence { try presence.collect(context) }

        let flags = (userPresence ? AuthenticatorData.flagUserPresent : 0) | (verified ? AuthenticatorData.flagUserVerified : 0)
        let residentLookup = allowList.isEmpty
        try withState { _, session in
            session.pendingAssertions = residentLookup && candidates.count > 1
                ? .init(rpID: rpID, clientDataHash: clientDataHash, flags: flags,
                        credentials: Array(candidates.dropFirst()), expires: .now + Self.nextAssertionWindow)
                : nil
        }
        return try assertion(first, rpID: rpID, clientDataHash: clientDataHash, flags: flags,
                             includeUser: residentLookup, verified: verified,
                             count: residentLookup && candidates.count > 1 ? candidates.count : nil)
    }

    /// authenticatorGetNextAssertion (CTAP 2.1 §6.3): no new touch, same flags.
    func getNextAssertion() throws(CTAP2Status) -> CBORValue {
        let pending = try withState { _, session throws(CTAP2Status) in
            guard var pending = session.pendingAssertions, ContinuousClock.now < pending.expires,
                  !pending.credentials.isEmpty
            else {
                session.pendingAssertions = nil
                throw .notAllowed
            }
            let next = pending.credentials.removeFirst()
            session.pendingAssertions = pending.credentials.isEmpty ? nil : pending
            return (pending, next)
        }
        return try assertion(pending.1, rpID: pending.0.rpID, clientDataHash: pending.0.clientDataHash,
                             flags: pending.0.flags, includeUser: true,
                             verified: pending.0.flags & AuthenticatorData.flagUserVerified != 0, count: nil)
    }

    /// Credentials usable for `rpID`: the allow-list entries this key made, or the resident
    /// ones, newest first; credProtect hides uvRequired credentials (and, from discovery,
    /// uvOptionalWithCredentialIDList ones) unless the user was verified (CTAP 2.1 §12.1).
    private func findCredentials(rpID: String, allowList: [[UInt8]], verified: Bool) throws(CTAP2Status) -> [AuthenticatorState.ResidentCredential] {
        let rpIDHash = AuthenticatorData.rpIDHash(rpID)
        let discovery = allowList.isEmpty
        return try withState { state, _ in
            let wrapping = CredentialWrapping(masterSecret: Array(state.masterSecret))
            let usable = { (id: [UInt8]) -> Bool in
                guard let credential = wrapping.unwrap(id, rpIDHash: rpIDHash) else { return false }
                return verified || credential.protection == 1 || (credential.protection == 2 && !discovery)
            }
            if discovery {
                return state.residentCredentials.filter { $0.rpID == rpID && usable(Array($0.credentialID)) }.reversed()
            }
            return allowList.filter(usable).prefix(1).map { id in
                state.residentCredentials.first { $0.credentialID == Data(id) }
                    ?? .init(credentialID: Data(id), rpID: rpID, userID: Data(), createdAt: Date())
            }
        }
    }

    private func assertion(
        _ credential: AuthenticatorState.ResidentCredential, rpID: String, clientDataHash: [UInt8],
        flags: UInt8, includeUser: Bool, verified: Bool, count: Int?
    ) throws(CTAP2Status) -> CBORValue {
        let rpIDHash = AuthenticatorData.rpIDHash(rpID)
        let (wrapping, counter) = try withState { state, _ in
            state.signatureCounter &+= 1
            return (CredentialWrapping(masterSecret: Array(state.masterSecret)), state.signatureCounter)
        }
        guard let key = wrapping.unwrap(Array(credential.credentialID), rpIDHash: rpIDHash) else { throw .invalidCredential }
        let authData = AuthenticatorData(rpIDHash: rpIDHash, flags: flags, signCount: counter).bytes
        guard let signature = try? key.algorithm.sign(authData + clientDataHash, privateKey: key.privateKey) else { throw .other }
        var response: [CBORValue: CBORValue] = [
            1: .map(["id": .bytes(Array(credential.credentialID)), "type": "public-key"]),
            2: .bytes(authData),
            3: .bytes(signature),
        ]
        if includeUser, !credential.userID.isEmpty {
            var user: [CBORValue: CBORValue] = ["id": .bytes(Array(credential.userID))]
            // Identifiable user data only after user verification (§6.2.2 step 12).
            if verified {
                if let name = credential.userName { user["name"] = .text(name) }
                if let displayName = credential.userDisplayName { user["displayName"] = .text(displayName) }
            }
            response[4] = .map(user)
        }
        if let count { response[5] = .int(count) }
        logger.info("assertion", metadata: ["rp": "\(rpID)", "counter": "\(counter)", "flags": "\(flags)"])
        return .map(response)
    }
}
