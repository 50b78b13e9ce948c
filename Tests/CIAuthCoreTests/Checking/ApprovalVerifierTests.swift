import CIAuthTestSupport
import Crypto
import Foundation
import SSHSig
import Testing

@testable import CIAuthCore

/// One signed approval with the registry and facts that make it valid; tests change one thing.
struct Scenario {
    var authenticator: SoftwareAuthenticator
    var statement: ApprovalStatement
    var registry: KeyRegistry
    var facts = Sample.facts()
    var policy = ApprovalPolicy()
    var pins = ApprovalPins()
    var now = Sample.issuedAt.date.addingTimeInterval(300)

    init(_ authenticator: SoftwareAuthenticator, statement: ApprovalStatement? = nil) throws {
        self.authenticator = authenticator
        self.statement = try statement ?? Sample.statement()
        registry = KeyRegistry(entries: [
            .init(principal: "alice", publicKey: try authenticator.publicKey, usage: .authAndSigning,
                  createdAt: Sample.issuedAt.date.addingTimeInterval(-30 * 86_400), gitlabKeyID: 17)
        ])
    }

    func signed() async throws -> SignedApproval { try await authenticator.signer.sign(statement) }

    func verify(_ value: String) -> ApprovalVerdict {
        ApprovalVerifier(registry: registry, policy: policy, pins: pins).verify(transport: value, facts: facts, now: now)
    }

    func verify() async throws -> ApprovalVerdict { verify(try await signed().transportValue) }
}

func expectRejected(
    _ verdict: ApprovalVerdict, _ reason: ApprovalRejection.Reason, mentioning text: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let rejection = verdict.rejection else {
        Issue.record("expected \(reason.rawValue), but the approval was accepted", sourceLocation: sourceLocation)
        return
    }
    #expect(rejection.reason == reason, "\(rejection)", sourceLocation: sourceLocation)
    if let text { #expect(rejection.explanation.contains(text), "\(rejection)", sourceLocation: sourceLocation) }
}

@Suite("Approval sign and verify")
struct ApprovalVerifierTests {
    @Test("a P-256 and an Ed25519 approval verify, with the details an audit needs", arguments: [false, true])
    func accepts(ed25519: Bool) async throws {
        var authenticator = ed25519 ? SoftwareAuthenticator.ed25519() : .p256()
        authenticator.counter = 1234
        let scenario = try Scenario(authenticator)
        let verdict = try await scenario.verify()
        let accepted = try #require(verdict.accepted, "\(verdict)")
        #expect(accepted.approver == "alice")
        #expect(accepted.keyFingerprint == (try authenticator.publicKey.fingerprint))
        #expect(accepted.keyType == (ed25519 ? .ed25519 : .ecdsaP256))
        #expect(accepted.gitlabKeyID == 17)
        #expect(accepted.flags == 0x01)
        #expect(accepted.counter == 1234)
        #expect(accepted.job == .init(id: 1_200_300, name: "deploy:production", environment: .named("production")))
        #expect(accepted.statement == scenario.statement)
    }

    @Test("every job listed in one statement is approved by one signature")
    func multipleJobs() async throws {
        var scenario = try Scenario(.p256())
        scenario.facts = Sample.facts(jobID: 1_200_301, jobName: "migrate db")
        #expect(try await scenario.verify().accepted?.job?.id == 1_200_301)
    }

    @Test("the signer's signed data equals SSHSig's and its clientDataHash is SHA-256 of it")
    func signedData() throws {
        let statement = try Sample.statement()
        let expected = try SSHSignature.signedData(namespace: "ciauth-approval-v2@ciauth.dev", hashAlgorithm: .sha512, message: statement.encoded)
        #expect(ApprovalSigner.signedData(for: statement) == expected)
        #expect(ApprovalSigner.clientDataHash(for: statement) == Array(SHA256.hash(data: expected)))
        #expect(expected.count == 6 + 4 + 29 + 4 + 4 + 6 + 4 + 64)
    }

    @Test("transport and plain forms carry the same approval")
    func plainForm() async throws {
        let signed = try await Scenario(.ed25519()).signed()
        let plain = signed.plainForm
        #expect(plain.hasPrefix("ciauth-approval-v2\n"))
        #expect(plain.contains("\nreason: Release 1.2 — hotfix for #231\n-----BEGIN SSH SIGNATURE-----\n"))
        #expect(try ApprovalTransport(plainForm: plain) == signed.transport)
        #expect(try signed.transport.plainForm() == plain)
        expectRejection(.plainFormMalformed) { _ = try ApprovalTransport(plainForm: plain + "extra\n") }
        expectRejection(.plainFormMalformed) { _ = try ApprovalTransport(plainForm: plain.replacingOccurrences(of: "\n", with: "\r\n")) }
        expectRejection(.plainFormMalformed) { _ = try ApprovalTransport(plainForm: signed.statement.description) }
    }

    @Test("a tampered statement no longer verifies", arguments: [false, true])
    func tamperedStatement(ed25519: Bool) async throws {
        let scenario = try Scenario(ed25519 ? .ed25519() : .p256())
        let transport = try await scenario.signed().transport
        var facts = scenario.facts
        facts.ref = "mainx"
        let forged = Sample.replacingLine("ref", with: "ref: mainx", in: transport.statementBytes)
        var changed = scenario
        changed.facts = facts
        expectRejected(
            changed.verify(ApprovalTransport(statementBytes: forged, signatureBlob: transport.signatureBlob).encoded),
            .signatureInvalid)
    }

    @Test("a tampered signature, counter or flag byte no longer verifies", arguments: [false, true])
    func tamperedSignature(ed25519: Bool) async throws {
        let scenario = try Scenario(ed25519 ? .ed25519() : .p256())
        let transport = try await scenario.signed().transport
        let blob = transport.signatureBlob
        for (offset, description) in [(1, "counter"), (5, "flags"), (12, "signature value")] {
            var bytes = blob
            bytes[blob.count - offset] ^= offset == 5 ? 0x04 : 0x01
            let verdict = scenario.verify(ApprovalTransport(statementBytes: transport.statementBytes, signatureBlob: bytes).encoded)
            let reason = verdict.rejection?.reason
            #expect(reason == .signatureInvalid || reason == .signatureMalformed, "\(description): \(verdict)")
        }
        var truncated = blob
        truncated.removeLast()
        expectRejected(scenario.verify(ApprovalTransport(statementBytes: transport.statementBytes, signatureBlob: truncated).encoded), .signatureMalformed)
    }

    @Test("a signature with another key substituted in the envelope does not verify")
    func substitutedKey() async throws {
        let scenario = try Scenario(.p256())
        let signed = try await scenario.signed()
        let other = try SoftwareAuthenticator.p256().publicKey
        let swapped = try SSHSignature(publicKey: other, namespace: signed.signature.namespace, hashAlgorithm: .sha512, signature: signed.signature.signature)
        var registry = scenario
        registry.registry.entries.append(.init(principal: "alice", publicKey: other))
        expectRejected(
            registry.verify(ApprovalTransport(statementBytes: signed.statement.encoded, signatureBlob: swapped.sshWireEncoded).encoded),
            .signatureInvalid)
    }

    @Test("flags without UP: the signer refuses, and the verifier rejects a signature made anyway")
    func noUserPresence() async throws {
        var authenticator = SoftwareAuthenticator.ed25519()
        authenticator.flags = 0x00
        let scenario = try Scenario(authenticator)
        await #expect(throws: ApprovalRejection.self) { _ = try await scenario.signed() }
        let signature = try authenticator.sshSignature(message: scenario.statement.encoded, namespace: ApprovalProtocol.namespace)
        let value = ApprovalTransport(statementBytes: scenario.statement.encoded, signatureBlob: signature.sshWireEncoded).encoded
        expectRejected(scenario.verify(value), .userPresenceMissing)
        var uvOnly = authenticator
        uvOnly.flags = 0x04
        let uvSignature = try uvOnly.sshSignature(message: scenario.statement.encoded, namespace: ApprovalProtocol.namespace)
        expectRejected(scenario.verify(ApprovalTransport(statementBytes: scenario.statement.encoded, signatureBlob: uvSignature.sshWireEncoded).encoded), .userPresenceMissing)
    }

    @Test("user verification is demanded only when the policy says so")
    func userVerification() async throws {
        var scenario = try Scenario(.p256())
        scenario.policy.requireUserVerification = true
        expectRejected(try await scenario.verify(), .userVerificationMissing)
        scenario.authenticator.flags = 0x05
        #expect(try await scenario.verify().accepted?.isUserVerified == true)
    }

    @Test("another namespace or hash algorithm is rejected even with a valid signature")
    func namespaceAndHash() throws {
        let scenario = try Scenario(.p256())
        let message = scenario.statement.encoded
        for (namespace, hash, reason) in [
            ("git", SSHSigHashAlgorithm.sha512, ApprovalRejection.Reason.wrongNamespace),
            ("file", .sha512, .wrongNamespace),
            ("ciauth-approval-v1@ciauth.dev", .sha512, .wrongNamespace),
            (ApprovalProtocol.namespace, .sha256, .unsupportedHashAlgorithm),
        ] {
            let signature = try scenario.authenticator.sshSignature(message: message, namespace: namespace, hash: hash)
            expectRejected(scenario.verify(ApprovalTransport(statementBytes: message, signatureBlob: signature.sshWireEncoded).encoded), reason)
        }
    }

    @Test("a key that is not a security key is rejected as such")
    func plainKeyType() throws {
        let scenario = try Scenario(.ed25519())
        let key = Curve25519.Signing.PrivateKey()
        func string(_ bytes: [UInt8]) -> [UInt8] { withUnsafeBytes(of: UInt32(bytes.count).bigEndian, Array.init) + bytes }
        let publicBlob = string(Array("ssh-ed25519".utf8)) + string(Array(key.publicKey.rawRepresentation))
        let signatureBlob = string(Array("ssh-ed25519".utf8)) + string(Array(try key.signature(for: [1, 2, 3])))
        let envelope = Array("SSHSIG".utf8) + [0, 0, 0, 1] + string(publicBlob) + string(Array(ApprovalProtocol.namespace.utf8))
            + string([]) + string(Array("sha512".utf8)) + string(signatureBlob)
        expectRejected(scenario.verify(ApprovalTransport(statementBytes: scenario.statement.encoded, signatureBlob: envelope).encoded), .notSecurityKey)
    }

    @Test("keys: unknown, someone else's, auth-only, expired, not yet valid, too new")
    func registryChecks() async throws {
        var scenario = try Scenario(.p256())
        let value = try await scenario.signed().transportValue
        let key = try scenario.authenticator.publicKey
        let original = scenario.registry

        scenario.registry = KeyRegistry(entries: [])
        expectRejected(scenario.verify(value), .unknownKey)
        scenario.registry = KeyRegistry(entries: [.init(principal: "bob", publicKey: key)])
        expectRejected(scenario.verify(value), .unknownKey, mentioning: "bob")
        scenario.registry = KeyRegistry(entries: [.init(principal: "alice", publicKey: try SoftwareAuthenticator.p256().publicKey)])
        expectRejected(scenario.verify(value), .unknownKey)
        scenario.registry = KeyRegistry(entries: [.init(principal: "alice", publicKey: key, usage: .auth)])
        expectRejected(scenario.verify(value), .keyNotForSigning)
        scenario.registry = KeyRegistry(entries: [.init(principal: "alice", publicKey: key, expiresAt: scenario.now)])
        expectRejected(scenario.verify(value), .keyExpired)
        scenario.registry = KeyRegistry(entries: [.init(principal: "alice", publicKey: key, validAfter: scenario.now.addingTimeInterval(1))])
        expectRejected(scenario.verify(value), .keyNotYetValid)

        scenario.registry = original
        scenario.policy.minimumKeyAge = 31 * 86_400
        expectRejected(scenario.verify(value), .keyTooNew)
        scenario.policy.minimumKeyAge = 29 * 86_400
        #expect(scenario.verify(value).accepted != nil)
        scenario.registry = KeyRegistry(entries: [.init(principal: "alice", publicKey: key)])  // creation time unknown
        expectRejected(scenario.verify(value), .keyTooNew)
        scenario.policy.minimumKeyAge = 0
        #expect(scenario.verify(value).accepted != nil)
    }

    @Test("replay to another job, pipeline, project or server is rejected with its reason")
    func replays() async throws {
        let scenario = try Scenario(.ed25519())
        let value = try await scenario.signed().transportValue
        func verify(_ change: (inout JobFacts) -> Void) -> ApprovalVerdict {
            var changed = scenario
            change(&changed.facts)
            return changed.verify(value)
        }
        expectRejected(verify { $0.jobID = 55; $0.jobName = "other" }, .jobNotApproved)
        expectRejected(verify { $0.jobName = "deploy:staging" }, .jobNameMismatch)
        expectRejected(verify { $0.pipelineID = 987_655 }, .pipelineMismatch)
        expectRejected(verify { $0.projectID = 4243 }, .projectMismatch)
        expectRejected(verify { $0.projectPath = "acme/platform/api" }, .projectMismatch)
        expectRejected(verify { $0.server = "https://gitlab.evil.example" }, .serverMismatch)
        expectRejected(verify { $0.ref = "feature/x" }, .refMismatch)
        expectRejected(verify { $0.commitSHA = String(repeating: "a", count: 40) }, .commitMismatch)
        expectRejected(verify { $0.environment = .named("staging") }, .environmentMismatch)
        expectRejected(verify { $0.environment = .none }, .environmentMismatch)
        #expect(verify { $0.environment = .unknown }.accepted != nil)
    }

    @Test("a retried or re-played job (new id, same name) must be re-approved")
    func retriedJob() async throws {
        var scenario = try Scenario(.p256())
        scenario.facts = Sample.facts(jobID: 1_200_999, jobName: "deploy:production")
        expectRejected(try await scenario.verify(), .retriedJob, mentioning: "re-approve job 1200999")
    }

    @Test("time window: future-dated, expired, too old; boundaries accepted")
    func timeWindow() async throws {
        var scenario = try Scenario(.ed25519())
        let value = try await scenario.signed().transportValue
        let issued = Sample.issuedAt.date
        scenario.now = issued.addingTimeInterval(-121)
        expectRejected(scenario.verify(value), .issuedInFuture)
        scenario.now = issued.addingTimeInterval(-120)
        #expect(scenario.verify(value).accepted != nil)
        scenario.now = Sample.expiresAt.date
        expectRejected(scenario.verify(value), .expired)
        scenario.now = Sample.expiresAt.date.addingTimeInterval(-0.5)
        #expect(scenario.verify(value).accepted != nil)
        scenario.policy.maximumAge = 600
        scenario.now = issued.addingTimeInterval(601)
        expectRejected(scenario.verify(value), .tooOld)
        scenario.now = issued.addingTimeInterval(600)
        #expect(scenario.verify(value).accepted != nil)
    }

    @Test("policy: allowed approvers, self-approval, approver plays the job")
    func approverPolicy() async throws {
        var scenario = try Scenario(.p256())
        let value = try await scenario.signed().transportValue
        scenario.policy.allowedApprovers = ["bob", "carol"]
        expectRejected(scenario.verify(value), .approverNotAllowed)
        scenario.policy.allowedApprovers = ["alice"]
        #expect(scenario.verify(value).accepted != nil)
        scenario.policy.allowSelfApproval = false
        expectRejected(scenario.verify(value), .selfApprovalUndecidable)
        scenario.facts.pipelineCreator = "alice"
        expectRejected(scenario.verify(value), .selfApproval)
        scenario.facts.pipelineCreator = "bob"
        #expect(scenario.verify(value).accepted != nil)
        scenario.policy.approverMustBePlayer = true
        expectRejected(scenario.verify(value), .approverNotPlayer, mentioning: "unknown")
        scenario.facts.player = "deploy-bot"
        expectRejected(scenario.verify(value), .approverNotPlayer)
        scenario.facts.player = "alice"
        #expect(scenario.verify(value).accepted != nil)
    }

    @Test("self-approval compares usernames as GitLab does: case does not make another person")
    func selfApprovalIgnoresCase() async throws {
        var scenario = try Scenario(.p256())
        let value = try await scenario.signed().transportValue
        scenario.policy.allowSelfApproval = false
        for creator in ["Alice", "ALICE", "alice"] {
            scenario.facts.pipelineCreator = creator
            expectRejected(scenario.verify(value), .selfApproval)
        }
    }

    @Test("pins in the pipeline definition must match GitLab's truth")
    func pins() async throws {
        var scenario = try Scenario(.p256())
        let value = try await scenario.signed().transportValue
        scenario.pins = ApprovalPins(server: "https://gitlab.example.com", projectPath: "acme/platform/web", projectID: 4242, jobName: "deploy:production", environment: "production")
        #expect(scenario.verify(value).accepted != nil)
        for pins in [
            ApprovalPins(server: "https://gitlab.other.example"), ApprovalPins(projectPath: "acme/other"), ApprovalPins(projectID: 1),
            ApprovalPins(jobName: "deploy:staging"), ApprovalPins(environment: "staging"),
        ] {
            scenario.pins = pins
            expectRejected(scenario.verify(value), .pinMismatch)
        }
        scenario.pins = ApprovalPins(environment: "staging")
        scenario.facts.environment = .unknown
        expectRejected(scenario.verify(value), .environmentMismatch)
        scenario.pins = ApprovalPins(environment: "production")
        #expect(scenario.verify(value).accepted != nil)
    }

    @Test("no approval and garbage are rejected before any cryptography")
    func missingAndGarbage() throws {
        let scenario = try Scenario(.p256())
        expectRejected(scenario.verify(""), .missingApproval)
        #expect(scenario.verify("").rejection?.failureClass == .noApproval)
        expectRejected(scenario.verify("hello"), .transportBadPrefix)
        expectRejected(scenario.verify("ciauth1:YWJj.AAAA"), .statementMissingFinalNewline)
        let statement = ApprovalBase64URL.encode(scenario.statement.encoded)
        expectRejected(scenario.verify("ciauth1:" + statement + ".AAAA"), .signatureMalformed)
    }

    @Test("an allowed_signers registry: literal principals only, namespace and validity options honoured")
    func allowedSignersRegistry() async throws {
        let scenario = try Scenario(.ed25519())
        let value = try await scenario.signed().transportValue
        let keyText = try scenario.authenticator.publicKey.authorizedKeysLine()
        let now = scenario.now
        func verdict(_ line: String) throws -> ApprovalVerdict {
            ApprovalVerifier.verifyOffline(
                transport: value, allowedSigners: try AllowedSigners(parsing: line + "\n"), facts: scenario.facts, now: now)
        }
        #expect(try verdict("alice " + keyText).accepted != nil)
        #expect(try verdict("bob,alice " + keyText).accepted != nil)
        #expect(try verdict("alice namespaces=\"ciauth-approval-v2@ciauth.dev\" " + keyText).accepted != nil)
        expectRejected(try verdict("* " + keyText), .unknownKey)
        expectRejected(try verdict("al* " + keyText), .unknownKey)
        expectRejected(try verdict("alice namespaces=\"git\" " + keyText), .unknownKey)
        expectRejected(try verdict("alice valid-before=\"20261128Z\" " + keyText), .keyExpired)
        expectRejected(try verdict("alice valid-after=\"20261129Z\" " + keyText), .keyNotYetValid)
        let offline = ApprovalVerifier.verifyOffline(
            transport: value, allowedSigners: try AllowedSigners(parsing: "alice " + keyText + "\n"), now: now)
        #expect(offline.accepted?.job == nil)
    }
}

@Suite("Approval values under random mutation")
struct ApprovalMutationTests {
    @Test("no mutated transport value is accepted, and every rejection is named", arguments: [false, true])
    func mutations(ed25519: Bool) async throws {
        let scenario = try Scenario(ed25519 ? .ed25519() : .p256())
        let value = Array(try await scenario.signed().transportValue.utf8)
        var generator = SeededGenerator(seed: ed25519 ? 1 : 2)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:= \n".utf8)
        var reasons: Set<ApprovalRejection.Reason> = []
        for _ in 0..<1500 {
            var mutated = value
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let position = Int.random(in: 0..<mutated.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: mutated[position] = alphabet.randomElement(using: &generator)!
                case 1: mutated.remove(at: position)
                default: mutated.insert(alphabet.randomElement(using: &generator)!, at: position)
                }
            }
            guard mutated != value else { continue }
            let verdict = scenario.verify(String(decoding: mutated, as: UTF8.self))
            #expect(verdict.accepted == nil, "accepted a mutated value")
            if let reason = verdict.rejection?.reason { reasons.insert(reason) }
        }
        #expect(reasons.contains(.signatureInvalid) && reasons.contains(.transportBadBase64))
    }
}
