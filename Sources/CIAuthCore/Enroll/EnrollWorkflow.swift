import FIDO2
import Foundation
import GitLab
import SSHSig

/// `ciauth enroll`: a new credential on the security key (or an imported OpenSSH sk key),
/// saved as an OpenSSH sk key file and registered as a signing key on the GitLab profile.
public struct EnrollWorkflow: Sendable {
    public let gitlab: GitLabClient
    public let store: CredentialStore
    public let keys: ApproveSecurityKeys
    public let interaction: ApproveInteraction
    public let hostname: String
    public let now: @Sendable () -> Date

    public init(
        gitlab: GitLabClient, store: CredentialStore, keys: ApproveSecurityKeys, interaction: ApproveInteraction,
        hostname: String, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.gitlab = gitlab
        self.store = store
        self.keys = keys
        self.interaction = interaction
        self.hostname = hostname
        self.now = now
    }

    public func run(_ request: EnrollRequest) async throws -> EnrollResult {
        let user = try await gitlab.currentUser()
        switch request.source {
        case .create:
            try EnrollRequest.validate(application: request.application)
            let created = try await createCredential(request, username: user.username)
            return try await register(created.key, for: user, request: request, adoptIfRegistered: false, base: created.result)
        case .importFile(let path):
            let key = try EnrollImport.read(path: path)
            var result = Self.baseResult(for: key)
            result.title = ""
            return try await register(key, for: user, request: request, adoptIfRegistered: true, base: result)
        }
    }

    /// Makes the credential (one touch), checks the attestation and builds the key file.
    private func createCredential(_ request: EnrollRequest, username: String) async throws -> (key: SKPrivateKeyFile, result: EnrollResult) {
        var userID = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for index in userID.indices { userID[index] = .random(in: 0...255, using: &generator) }
        let credentialRequest = CredentialRequest(
            rpID: request.application, userID: userID, userName: username, algorithm: request.algorithm,
            residentKey: request.resident, userVerification: request.requirePIN,
            attestationRoots: request.attestationRoots, timeout: request.touchTimeout)
        let interaction = self.interaction
        let (credential, info) = try await keys.withDevices { devices in
            let credential = try await KeySelection.makeCredential(
                credentialRequest, on: devices, pin: interaction.pin, events: interaction.deviceEvents)
            return (credential, devices.first { $0.address == credential.device }?.info)
        }
        let publicKey = try Self.publicKey(of: credential, application: request.application)
        var flags = SKPrivateKeyFile.userPresenceRequired
        if request.requirePIN { flags |= SKPrivateKeyFile.userVerificationRequired }
        if request.resident { flags |= SKPrivateKeyFile.residentKey }
        let key: SKPrivateKeyFile
        do {
            key = try SKPrivateKeyFile(
                publicKey: publicKey, flags: flags, keyHandle: credential.credentialID, comment: "ciauth \(username)@\(hostname)")
        } catch {
            throw EnrollError(.unusableCredential, "the security key returned an unusable credential: \(error)")
        }
        var result = Self.baseResult(for: key)
        result.aaguid = Self.uuidString(credential.aaguid)
        result.model = info.flatMap { [$0.manufacturer, $0.product].compactMap { $0 }.joined(separator: " ") }.flatMap { $0.isEmpty ? nil : $0 }
        result.attestation = Self.describe(credential.attestation)
        interaction.note("Created a credential (\(publicKey.keyType.displayName)) on \(credential.device): model \(result.model ?? "not reported"), AAGUID \(result.aaguid ?? "?"), attestation \(result.attestation ?? "?").")
        return (key, result)
    }

    /// Registers the key on the profile unless it is there already; saves the key file and the
    /// record of the GitLab user it is registered to.
    private func register(
        _ key: SKPrivateKeyFile, for user: GitLabUser, request: EnrollRequest, adoptIfRegistered: Bool, base: EnrollResult
    ) async throws -> EnrollResult {
        let fingerprint = key.publicKey.fingerprint
        let existing = try await gitlab.ownKeys().first { Self.fingerprint(of: $0) == fingerprint }
        let stored = try store.credential(matching: key.publicKey)
        var result = base
        if let existing {
            if let stored {
                // Enrolled already (a re-run, or one that finished a lost answer): change nothing
                // but the record, which older versions did not write.
                recordRegistration(of: stored, keyID: existing.id, user: user)
                interaction.note(
                    "\(fingerprint) is already on your GitLab profile as key \(existing.id) (\"\(existing.title)\") and enrolled in \(stored.file.path); nothing was added.")
                result.gitlabKeyID = existing.id
                result.title = existing.title
                result.file = stored.file.path
                result.alreadyRegistered = true
                result.expiresAt = existing.expiresAt.map(Self.day)
                return result
            }
            if !adoptIfRegistered {
                throw EnrollError(
                    .alreadyEnrolled,
                    "\(fingerprint) is already on your GitLab profile as key \(existing.id) (\"\(existing.title)\"); nothing was added")
            }
            let saved = try store.save(key)
            recordRegistration(of: saved, keyID: existing.id, user: user)
            interaction.note("\(fingerprint) is already on your GitLab profile as key \(existing.id) (\"\(existing.title)\"); not added again. Adopted it for approvals: \(saved.file.path)")
            result.gitlabKeyID = existing.id
            result.title = existing.title
            result.file = saved.file.path
            result.alreadyRegistered = true
            result.expiresAt = existing.expiresAt.map(Self.day)
            return result
        }
        let saved = try stored ?? store.save(key)
        let expiresAt = request.expiresInSeconds.map { now().addingTimeInterval(TimeInterval($0)) }
        let title = request.title ?? "ciauth \(hostname) \(Self.day(now()))\(adoptIfRegistered ? " (imported)" : "")"
        let added = try await add(
            NewSSHKey(title: title, key: key.publicKey.authorizedKeysLine(), usageType: .signing, expiresAt: expiresAt),
            saved: saved, isNew: stored == nil)
        recordRegistration(of: saved, keyID: added.id, user: user)
        result.gitlabKeyID = added.id
        result.title = added.title
        result.file = saved.file.path
        result.expiresAt = added.expiresAt.map(Self.day)
        return result
    }

    /// `POST /user/keys`. A definite refusal removes a credential made for it; an answer lost
    /// after the request may have reached GitLab (5xx, timeout, dropped connection) is settled by
    /// reading the profile back by fingerprint. So is "has already been taken": a fresh key pair
    /// can only be on a profile because this very request reached GitLab (a proxy that sent it
    /// twice relays the second answer), and an imported key may be on another account's profile,
    /// which the read-back tells apart. Unsettled, the credential is kept: a re-run of
    /// `enroll --import` with it adds the key only if it is not there, so no second key appears.
    private func add(_ newKey: NewSSHKey, saved: EnrolledCredential, isNew: Bool) async throws -> SSHKey {
        let failure: GitLabError
        do {
            return try await gitlab.addOwnKey(newKey)
        } catch {
            failure = error
        }
        let lost = failure.writeMayHaveTakenEffect
        guard lost || Self.saysAlreadyRegistered(failure) else {
            if isNew { store.remove(saved) }
            throw failure
        }
        let what = lost
            ? "GitLab's answer to adding the key was lost (\(failure))"
            : "GitLab answered that the key is already registered (\(failure))"
        let finish = "The credential is kept in \(saved.file.path): run `ciauth enroll --import \(saved.file.path)` to finish (it adds the key only if it is not on your profile)."
        let landed: SSHKey?
        do {
            landed = try await gitlab.ownKeys().first { Self.fingerprint(of: $0) == saved.fingerprint }
        } catch {
            throw EnrollError(.registrationUnknown, "\(what), and reading your keys back failed too (\(error)). \(finish)")
        }
        guard let landed else {
            guard lost else {
                // Registered, but not to this account: GitLab's refusal stands.
                if isNew { store.remove(saved) }
                throw failure
            }
            throw EnrollError(.registrationUnknown, "\(what), and your profile does not show the key (it may still appear). \(finish)")
        }
        let cause = lost ? "GitLab's answer to adding the key was lost (\(failure.code.rawValue))" : "GitLab answered that the key is already registered (the request reached it twice)"
        interaction.note("\(cause), but your profile shows it as key \(landed.id): enrolled.")
        return landed
    }

    /// GitLab's validation refusal of a key that some profile already holds.
    static func saysAlreadyRegistered(_ error: GitLabError) -> Bool {
        guard let status = error.status, status == 400 || status == 422 else { return false }
        return error.serverMessage?.contains("has already been taken") ?? false
    }


    /// Notes which GitLab user the key is registered to, so approvals need not ask GitLab. The
    /// key is registered either way: a record that cannot be written is only a warning.
    private func recordRegistration(of credential: EnrolledCredential, keyID: Int, user: GitLabUser) {
        do {
            let server = try ApprovalStatement.canonicalServerURL(gitlab.server.description)
            try store.record(
                CredentialRegistration(server: server, userID: user.id, username: user.username, keyID: keyID), for: credential)
        } catch {
            interaction.note("Warning: \(error); approvals will ask GitLab who you are.")
        }
    }

    static func baseResult(for key: SKPrivateKeyFile) -> EnrollResult {
        EnrollResult(
            fingerprint: key.publicKey.fingerprint, keyType: key.publicKey.keyType.rawValue,
            application: key.publicKey.application, publicKey: key.publicKey.authorizedKeysLine(), gitlabKeyID: 0,
            title: "", file: "", aaguid: nil, model: nil, attestation: nil, alreadyRegistered: false, expiresAt: nil)
    }

    static func publicKey(of credential: Credential, application: String) throws(EnrollError) -> SKPublicKey {
        do {
            switch credential.algorithm {
            case .es256: return try SKPublicKey(ecdsaP256Point: credential.publicKey, application: application)
            case .eddsa: return try SKPublicKey(ed25519: credential.publicKey, application: application)
            }
        } catch {
            throw EnrollError(.unusableCredential, "the security key returned an unusable public key: \(error)")
        }
    }

    /// The fingerprint of a key GitLab lists, nil for keys that are not sk keys.
    static func fingerprint(of key: SSHKey) -> String? {
        (try? SKPublicKey(authorizedKeysLine: key.publicKeyWithoutComment))?.fingerprint
    }

    static func describe(_ attestation: Attestation) -> String {
        switch attestation.trust {
        case .selfAttested: "self attestation (\(attestation.format)), signature verified"
        case .certificateNotChecked: "certificate attestation (\(attestation.format)), signature verified, certificate chain not checked"
        case .certificateTrusted: "certificate attestation (\(attestation.format)), chains to a trusted root"
        case .unattested: "none (the key proved nothing about itself)"
        }
    }

    static func uuidString(_ bytes: [UInt8]) -> String {
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        guard hex.count == 32 else { return hex }
        let cuts = [8, 12, 16, 20]
        var result = ""
        for (index, character) in hex.enumerated() {
            if cuts.contains(index) { result.append("-") }
            result.append(character)
        }
        return result
    }

    static func day(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }
}
