import Crypto
import Foundation
import SSHSig

/// One enrolled security-key credential: an OpenSSH sk private key file (key handle and policy
/// flags, nothing secret) with its `.pub` line beside it.
public struct EnrolledCredential: Hashable, Sendable {
    public let file: URL
    public let key: SKPrivateKeyFile

    public var publicKey: SKPublicKey { key.publicKey }
    public var fingerprint: String { key.publicKey.fingerprint }
    /// Enrolled with `--require-pin`: every approval asks for user verification.
    public var requiresUserVerification: Bool { key.flags & SKPrivateKeyFile.userVerificationRequired != 0 }
    public var isResident: Bool { key.flags & SKPrivateKeyFile.residentKey != 0 }
}

/// The credentials ciauth can sign with: the sk key files in `ConfigDirectory.keysDirectory`.
///
/// Files are written 0600 in a 0700 directory (`PrivateFile`) so `ssh-keygen -Y sign -f FILE`
/// accepts them. Any file that is not an unencrypted sk private key is ignored by `list()`
/// (a `.pub` line, an editor backup), so the directory can be shared with OpenSSH habits.
/// Beside each key file, `<name>.gitlab.json` records which GitLab user it was registered to
/// (`CredentialRegistrationFile`).
public struct CredentialStore: Sendable {
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    public init(configDirectory: ConfigDirectory) {
        self.init(directory: configDirectory.keysDirectory)
    }

    /// Every enrolled credential, ordered by file name.
    public func list() throws(EnrollError) -> [EnrolledCredential] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            return []  // no directory yet: nothing enrolled
        }
        return names.sorted().filter {
            !$0.hasSuffix(".pub") && !$0.hasSuffix(CredentialRegistrationFile.suffix) && !$0.hasPrefix(".")
        }.compactMap { name in
            let file = directory.appendingPathComponent(name)
            guard let text = try? String(contentsOf: file, encoding: .utf8),
                let key = try? SKPrivateKeyFile(armored: text)
            else { return nil }
            return EnrolledCredential(file: file, key: key)
        }
    }

    /// The credential with this public key, if enrolled.
    public func credential(matching publicKey: SKPublicKey) throws(EnrollError) -> EnrolledCredential? {
        try list().first { $0.publicKey == publicKey }
    }

    /// Saves a key file (0600) and its `.pub` line; the name derives from the key type and
    /// fingerprint, so the same key is never stored twice.
    @discardableResult
    public func save(_ key: SKPrivateKeyFile) throws(EnrollError) -> EnrolledCredential {
        let file = directory.appendingPathComponent(Self.fileName(for: key.publicKey))
        do {
            try PrivateFile.write(Array(key.armored.utf8), to: file)
            let pub = key.publicKey.authorizedKeysLine(comment: key.comment) + "\n"
            try PrivateFile.write(Array(pub.utf8), to: file.appendingPathExtension("pub"), replacing: true)
        } catch {
            throw EnrollError(.storeFailed, "cannot save the credential: \(error)")
        }
        return EnrolledCredential(file: file, key: key)
    }

    /// Removes a credential's files, its enrollment record included (used to roll back an
    /// enrollment GitLab refused).
    public func remove(_ credential: EnrolledCredential) {
        try? FileManager.default.removeItem(at: credential.file)
        try? FileManager.default.removeItem(at: credential.file.appendingPathExtension("pub"))
        try? FileManager.default.removeItem(at: Self.registrationFile(of: credential))
    }

    /// Where the credential was registered, per server. Throws when the record exists but is
    /// unusable; callers treat that like no record.
    public func registrations(of credential: EnrolledCredential) throws(EnrollError) -> [CredentialRegistration] {
        let file = Self.registrationFile(of: credential)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file.path) else { return [] }
        if let size = attributes[.size] as? Int, size > CredentialRegistrationFile.maximumBytes {
            throw EnrollError(.storeFailed, "the enrollment record \(file.path) is larger than \(CredentialRegistrationFile.maximumBytes) bytes")
        }
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw EnrollError(.storeFailed, "cannot read \(file.path)")
        }
        return try CredentialRegistrationFile.decode(Array(data), fingerprint: credential.fingerprint)
    }

    /// Records (0600) that the credential is registered on `registration.server`, replacing an
    /// older entry for that server; an unusable old record is replaced as a whole.
    public func record(_ registration: CredentialRegistration, for credential: EnrolledCredential) throws(EnrollError) {
        let others = ((try? registrations(of: credential)) ?? []).filter { $0.server != registration.server }
        let bytes = try CredentialRegistrationFile.encode(others + [registration], fingerprint: credential.fingerprint)
        do {
            try PrivateFile.write(bytes, to: Self.registrationFile(of: credential), replacing: true)
        } catch {
            throw EnrollError(.storeFailed, "cannot save the enrollment record: \(error)")
        }
    }

    static func registrationFile(of credential: EnrolledCredential) -> URL {
        credential.file.deletingLastPathComponent()
            .appendingPathComponent(credential.file.lastPathComponent + CredentialRegistrationFile.suffix)
    }

    /// `id_ecdsa_sk_ciauth_<12 hex of the fingerprint>` or `id_ed25519_sk_ciauth_…`.
    static func fileName(for key: SKPublicKey) -> String {
        let prefix = key.keyType == .ecdsaP256 ? "id_ecdsa_sk" : "id_ed25519_sk"
        let digest = SHA256.hash(data: key.sshWireEncoded).prefix(6).map { String(format: "%02x", $0) }.joined()
        return "\(prefix)_ciauth_\(digest)"
    }
}
