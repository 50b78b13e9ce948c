import ChildProcess
import CIAuthTestSupport
import Foundation
import Testing

@testable import CIAuthCore

/// OpenSSH's `ssh-keygen -Y verify` judges the signatures ciauth makes, over the statement bytes,
/// with the approval namespace, against an allowed_signers file naming the approver.
@Suite("ssh-keygen accepts ciauth approvals")
struct SSHKeygenOracleTests {
    @Test("ssh-keygen -Y verify accepts the armored signature over the statement", arguments: [false, true])
    func sshKeygenVerifies(ed25519: Bool) async throws {
        let authenticator = ed25519 ? SoftwareAuthenticator.ed25519() : .p256()
        let signed = try await Scenario(authenticator).signed()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let statement = try directory.write("statement", Data(signed.statement.encoded))
        let signature = try directory.write("statement.sig", Data(signed.signature.armored.utf8))
        let allowed = try directory.write("allowed_signers", Data(("alice " + (try authenticator.publicKey.authorizedKeysLine()) + "\n").utf8))

        let good = try SSHKeygen.verify(statement: statement, signature: signature, allowedSigners: allowed, principal: "alice", namespace: ApprovalProtocol.namespace)
        #expect(good.status == 0, "\(good.output)")
        #expect(good.output.contains("Good \"\(ApprovalProtocol.namespace)\" signature for alice with \(ed25519 ? "ED25519-SK" : "ECDSA-SK") key"))

        // The oracle can fail: wrong namespace, wrong principal, altered statement.
        let wrongNamespace = try SSHKeygen.verify(statement: statement, signature: signature, allowedSigners: allowed, principal: "alice", namespace: "git")
        #expect(wrongNamespace.status != 0)
        let wrongPrincipal = try SSHKeygen.verify(statement: statement, signature: signature, allowedSigners: allowed, principal: "bob", namespace: ApprovalProtocol.namespace)
        #expect(wrongPrincipal.status != 0)
        let altered = try directory.write("altered", Data(Sample.replacingLine("ref", with: "ref: mainx", in: signed.statement.encoded)))
        let tampered = try SSHKeygen.verify(statement: altered, signature: signature, allowedSigners: allowed, principal: "alice", namespace: ApprovalProtocol.namespace)
        #expect(tampered.status != 0)
    }

    @Test("ssh-keygen reads ciauth's plain form after splitting it as docs/protocol.md says")
    func plainFormSplits() async throws {
        let authenticator = SoftwareAuthenticator.p256()
        let signed = try await Scenario(authenticator).signed()
        let plain = signed.plainForm
        let split = try #require(plain.range(of: "\n-----BEGIN SSH SIGNATURE-----\n"))
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let statement = try directory.write("statement", Data((plain[..<split.lowerBound] + "\n").utf8))
        let signature = try directory.write("statement.sig", Data(plain[plain.index(after: split.lowerBound)...].utf8))
        let allowed = try directory.write("allowed_signers", Data(("alice " + (try authenticator.publicKey.authorizedKeysLine()) + "\n").utf8))
        let result = try SSHKeygen.verify(statement: statement, signature: signature, allowedSigners: allowed, principal: "alice", namespace: ApprovalProtocol.namespace)
        #expect(result.status == 0, "\(result.output)")
    }
}

/// Runs the system's ssh-keygen.
enum SSHKeygen {
    struct Result {
        let status: Int32
        let output: String
    }

    static func verify(statement: URL, signature: URL, allowedSigners: URL, principal: String, namespace: String) throws -> Result {
        let result = try ChildProcess.run(
            "/usr/bin/env",
            ["ssh-keygen", "-Y", "verify", "-n", namespace, "-s", signature.path, "-f", allowedSigners.path, "-I", principal],
            input: try Data(contentsOf: statement), timeout: .seconds(60))
        return Result(status: result.status, output: String(decoding: result.stdout + result.stderr, as: UTF8.self))
    }
}

/// A fresh directory under the system's temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appending(path: "ciauth-core-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ data: Data) throws -> URL {
        let file = url.appending(path: name)
        try data.write(to: file)
        return file
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}
