import CIAuthTestSupport
import Crypto
import Foundation
import SSHSig
import Testing

@testable import CIAuthCore

/// The vectors in Fixtures/ were made by `make_test_vectors.py` from docs/protocol.md alone
/// (Python `cryptography`, no ciauth code): ciauth must reproduce and accept them.
@Suite("Independent test vectors")
struct TestVectorTests {
    @Test("ciauth's signer reproduces the independent Ed25519 vector byte for byte")
    func reproducesEd25519() async throws {
        var authenticator = SoftwareAuthenticator(
            privateKey: .ed25519(try Curve25519.Signing.PrivateKey(rawRepresentation: Array(0..<32))), application: "ssh:")
        authenticator.counter = 7
        let signed = try await authenticator.signer.sign(try ApprovalStatement(parsing: try Sample.fixture("statement-v2.txt")))
        #expect(signed.transportValue == Sample.text(try Sample.fixture("approval-v2-ed25519.transport")))
        #expect(signed.signature.armored == Sample.text(try Sample.fixture("approval-v2-ed25519.sig")))
        #expect(Hex.encode(ApprovalSigner.clientDataHash(for: signed.statement)) == "d30a79c2f4eef10fc3103c50c8c91a40ffe3509aeaf637c71fdc713d9a63fbc9")
    }

    @Test("ciauth's verifier accepts the independent vectors", arguments: [
        ("ed25519", "SHA256:zZRfREUNsMUzSOFB5SbeIp9ej3rAmmnO94dMSqCRPD8"), ("p256", "SHA256:gcOpvvyi7Q+wHakKWC6naiB0sEnUbBV6BeGpq14gfqA"),
    ])
    func accepts(name: String, fingerprint: String) throws {
        let value = Sample.text(try Sample.fixture("approval-v2-\(name).transport"))
        let signers = try AllowedSigners(parsing: Sample.text(try Sample.fixture("allowed_signers-\(name)")))
        let verdict = ApprovalVerifier.verifyOffline(
            transport: value, allowedSigners: signers, facts: Sample.facts(), now: Sample.issuedAt.date.addingTimeInterval(60))
        let accepted = try #require(verdict.accepted, "\(verdict)")
        #expect(accepted.keyFingerprint == fingerprint)
        #expect(accepted.counter == 7)
        #expect(accepted.statement.encoded == (try Sample.fixture("statement-v2.txt")))
        let plain = try ApprovalTransport(decoding: value).plainForm()
        #expect(plain == Sample.text(try Sample.fixture("statement-v2.txt")) + Sample.text(try Sample.fixture("approval-v2-\(name).sig")))
    }

    @Test("docs/protocol.md shows the vectors exactly (statement and Ed25519 plain form)")
    func documentMatches() throws {
        let document = try String(contentsOf: try Sample.repositoryRoot.appending(path: "docs/protocol.md"), encoding: .utf8)
        let statement = Sample.text(try Sample.fixture("statement-v2.txt"))
        #expect(document.contains("```\n" + statement + "```\n"))
        #expect(document.contains("```\n" + statement + Sample.text(try Sample.fixture("approval-v2-ed25519.sig")) + "```\n"))
        #expect(document.contains(Sample.text(try Sample.fixture("allowed_signers-ed25519")).dropLast()))
    }

    @Test("a version 1 statement is refused by name: it names the approver by username alone")
    func retiredVersion() throws {
        let v1 = try Sample.fixture("statement-v1.txt")
        expectRejection(.statementRetiredVersion) { _ = try ApprovalStatement(parsing: v1) }
    }
}
