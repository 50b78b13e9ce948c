import Foundation
import SSHSig

/// The verification algorithm of docs/protocol.md section 5. Pure and synchronous: everything it
/// needs (registry, GitLab's truth, pins, policy, the time) is passed in.
public struct ApprovalVerifier: Sendable {
    public var registry: KeyRegistry
    public var policy: ApprovalPolicy
    public var pins: ApprovalPins

    public init(registry: KeyRegistry, policy: ApprovalPolicy = .default, pins: ApprovalPins = ApprovalPins()) {
        self.registry = registry
        self.policy = policy
        self.pins = pins
    }

    /// Verifies the CI variable's value for the job GitLab describes in `facts`. With `facts`
    /// nil (offline audit of an approval), steps 1 and 9 are skipped.
    public func verify(transport value: String, facts: JobFacts?, now: Date) -> ApprovalVerdict {
        do {
            if let facts { try ApprovalBinding.checkPins(pins, facts: facts) }
            let transport = try ApprovalTransport(decoding: value)
            return .accepted(try verify(transport, facts: facts, now: now))
        } catch let rejection as ApprovalRejection {
            return .rejected(rejection)
        } catch {
            return .rejected(ApprovalRejection(.signatureMalformed, "unexpected error: \(error)"))
        }
    }

    /// Steps 3 to 11 on an already decoded transport value.
    public func verify(_ transport: ApprovalTransport, facts: JobFacts?, now: Date) throws -> AcceptedApproval {
        let statement = try ApprovalStatement(parsing: transport.statementBytes)
        let signature = try Self.parseSignature(transport.signatureBlob)
        try checkSignature(signature, over: transport.statementBytes)
        let key = try registry.entry(
            for: statement.approver, id: statement.approverID, key: signature.publicKey, now: now,
            minimumKeyAge: policy.minimumKeyAge)
        let job = try facts.map { try ApprovalBinding.check(statement, against: $0, pins: pins) }
        try checkTime(statement, now: now)
        try checkApprover(statement, facts: facts)
        return AcceptedApproval(statement: statement, signature: signature, key: key, job: job)
    }

    /// Step 4: the SSHSIG blob parses and uses a security-key type.
    static func parseSignature(_ blob: [UInt8]) throws -> SSHSignature {
        do throws(SSHSigError) {
            return try SSHSignature(sshWireEncoded: blob)
        } catch {
            switch error {
            case .notSecurityKey(let name), .unsupportedKeyType(let name):
                throw ApprovalRejection(
                    .notSecurityKey, "the signing key type \(ApprovalStatement.quoted(name)) is not a FIDO security key type")
            case .unsupportedHashAlgorithm(let name):
                throw ApprovalRejection(
                    .unsupportedHashAlgorithm, "hash algorithm \(ApprovalStatement.quoted(name)) is not sha512")
            default:
                throw ApprovalRejection(.signatureMalformed, "the SSHSIG signature is malformed: \(error)")
            }
        }
    }

    /// Steps 5 to 7: namespace, hash, cryptography, presence and verification flags.
    private func checkSignature(_ signature: SSHSignature, over statementBytes: [UInt8]) throws {
        guard signature.namespace == ApprovalProtocol.namespace else {
            throw ApprovalRejection(
                .wrongNamespace,
                "the signature is for namespace \(ApprovalStatement.quoted(signature.namespace)), not \(ApprovalProtocol.namespace)")
        }
        guard signature.hashAlgorithm == ApprovalProtocol.hashAlgorithm else {
            throw ApprovalRejection(.unsupportedHashAlgorithm, "hash algorithm \(signature.hashAlgorithm.rawValue) is not sha512")
        }
        let sshPolicy = VerificationPolicy(
            requireUserVerification: policy.requireUserVerification, allowedHashAlgorithms: [ApprovalProtocol.hashAlgorithm])
        switch SSHSigVerifier().verify(
            signature: signature, message: statementBytes, namespace: ApprovalProtocol.namespace, policy: sshPolicy)
        {
        case .valid:
            return
        case .invalid(.userPresenceMissing):
            throw ApprovalRejection(.userPresenceMissing, "the security key was not touched (user-presence flag missing)")
        case .invalid(.userVerificationMissing):
            throw ApprovalRejection(
                .userVerificationMissing, "policy requires PIN or biometric verification, and the signature lacks it")
        case .invalid(let failure):
            throw ApprovalRejection(.signatureInvalid, "the signature does not verify: \(failure)")
        }
    }

    /// Step 10: issued-at not in the future, not expired, not too old.
    private func checkTime(_ statement: ApprovalStatement, now: Date) throws {
        guard let nowSeconds = Int64(exactly: now.timeIntervalSince1970.rounded(.down)) else {
            throw ApprovalRejection(.expired, "the current time is not a valid instant")
        }
        let issued = statement.issuedAt.secondsSinceEpoch
        guard issued <= nowSeconds + policy.clockSkew else {
            throw ApprovalRejection(.issuedInFuture, "the approval is issued at \(statement.issuedAt), in the future")
        }
        guard nowSeconds < statement.expiresAt.secondsSinceEpoch else {
            throw ApprovalRejection(.expired, "the approval expired at \(statement.expiresAt)")
        }
        guard nowSeconds - issued <= policy.maximumAge else {
            throw ApprovalRejection(.tooOld, "the approval was issued more than \(policy.maximumAge) s ago")
        }
    }

    /// Step 11: allowed approvers, approver plays the job, self-approval.
    private func checkApprover(_ statement: ApprovalStatement, facts: JobFacts?) throws {
        if let allowed = policy.allowedApprovers, !ApproverList.allows(allowed, statement.approver, id: statement.approverID) {
            throw ApprovalRejection(
                .approverNotAllowed, "\(statement.approver) (user \(statement.approverID)) is not among the allowed approvers")
        }
        if policy.approverMustBePlayer, facts?.player != statement.approver {
            throw ApprovalRejection(
                .approverNotPlayer,
                "policy requires the approver to play the job; approver \(statement.approver), player \(facts?.player ?? "unknown")")
        }
        guard !policy.allowSelfApproval else { return }
        guard let creator = facts?.pipelineCreator else {
            throw ApprovalRejection(
                .selfApprovalUndecidable, "self-approval is forbidden but the pipeline's creator is unknown")
        }
        guard !ApprovalPolicy.isSelfApproval(creator: creator, approver: statement.approver) else {
            throw ApprovalRejection(.selfApproval, "\(statement.approver) started the pipeline and may not approve it")
        }
    }
}

extension ApprovalVerifier {
    /// Verification against an allowed_signers file, for a development command and audits:
    /// with `facts` the full algorithm, without them everything but the job binding.
    public static func verifyOffline(
        transport value: String, allowedSigners: AllowedSigners, facts: JobFacts? = nil,
        policy: ApprovalPolicy = .default, now: Date
    ) -> ApprovalVerdict {
        ApprovalVerifier(registry: KeyRegistry(allowedSigners: allowedSigners), policy: policy)
            .verify(transport: value, facts: facts, now: now)
    }
}
