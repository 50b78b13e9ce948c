import FIDO2
import Foundation
import SSHSig

/// Signs statements with the enrolled credentials: the allow list holds every credential of
/// the application, the request goes to every key, and the touched key's signature is kept.
struct ApproveSigning {
    let credentials: [EnrolledCredential]
    let keys: ApproveSecurityKeys
    let interaction: ApproveInteraction
    let timeout: Duration
    /// The committed policy's `require_uv`.
    var policyRequiresVerification = false

    /// The credentials to offer: those of `application`, else of the only application enrolled.
    static func choose(from all: [EnrolledCredential], application: String?) throws(ApproveError) -> [EnrolledCredential] {
        guard !all.isEmpty else {
            throw ApproveError(.noCredentials, "no security key is enrolled; run `ciauth enroll` (or `ciauth enroll --import ~/.ssh/id_ecdsa_sk`) first")
        }
        if let application {
            let chosen = all.filter { $0.publicKey.application == application }
            guard !chosen.isEmpty else {
                throw ApproveError(.noCredentials, "no enrolled credential has the application \(application) (enrolled: \(applications(all)))")
            }
            return chosen
        }
        let names = Set(all.map(\.publicKey.application))
        if names.count == 1 { return all }
        let preferred = all.filter { $0.publicKey.application == EnrollRequest.defaultApplication }
        guard !preferred.isEmpty else {
            throw ApproveError(.noCredentials, "credentials of several applications are enrolled (\(applications(all))); choose one with --application")
        }
        return preferred
    }

    private static func applications(_ credentials: [EnrolledCredential]) -> String {
        Set(credentials.map(\.publicKey.application)).sorted().joined(separator: ", ")
    }

    /// One touch per statement (usually exactly one statement).
    func sign(_ statements: [ApprovalStatement]) async throws -> [SignedApproval] {
        let references = credentials.map { credential in
            CredentialReference(
                credentialID: credential.key.keyHandle,
                algorithm: credential.publicKey.keyType == .ecdsaP256 ? .es256 : .eddsa,
                publicKey: Self.rawKey(credential.publicKey), label: credential.fingerprint)
        }
        let application = credentials[0].publicKey.application
        let needsVerification = policyRequiresVerification || credentials.contains(where: \.requiresUserVerification)
        let byHandle = Dictionary(credentials.map { ($0.key.keyHandle, $0) }, uniquingKeysWith: { first, _ in first })
        let interaction = self.interaction
        let timeout = self.timeout
        return try await keys.withDevices { devices in
            var signed: [SignedApproval] = []
            for (index, statement) in statements.enumerated() {
                // Above 100 jobs there are several statements, one touch each: say which touch this is.
                if statements.count > 1 {
                    let jobs = statement.jobs.count
                    interaction.note("Approval \(index + 1) of \(statements.count) (\(jobs) job\(jobs == 1 ? "" : "s")):")
                }
                let request = AssertionRequest(
                    rpID: application, clientDataHash: ApprovalSigner.clientDataHash(for: statement),
                    allowedCredentials: references, userVerification: needsVerification, timeout: timeout)
                let assertion = try await KeySelection.getAssertion(
                    request, on: devices, pin: interaction.pin, events: interaction.deviceEvents)
                guard let credential = byHandle[assertion.credential.credentialID] else {
                    throw ApproveError(.noCredentials, "the security key signed with a credential that is not enrolled")
                }
                signed.append(try ApprovalSigner.assemble(statement, Self.authenticatorAssertion(assertion, credential)))
            }
            return signed
        }
    }

    static func authenticatorAssertion(_ assertion: Assertion, _ credential: EnrolledCredential) -> AuthenticatorAssertion {
        let signature: [UInt8]
        switch assertion.signature {
        case .es256(_, let der): signature = der
        case .eddsa(let bytes): signature = bytes
        }
        return AuthenticatorAssertion(
            publicKey: credential.publicKey, flags: assertion.flags.rawValue, counter: assertion.signCount, signature: signature)
    }

    static func rawKey(_ key: SKPublicKey) -> [UInt8] {
        switch key.material {
        case .ecdsaP256(let point): point
        case .ed25519(let bytes): bytes
        }
    }
}
