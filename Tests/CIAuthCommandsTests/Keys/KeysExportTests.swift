import ChildProcess
import CIAuthTestSupport
import CIAuthCore
import Foundation
import SSHSig
import Testing

/// `ciauth keys export --allowed-signers`, judged by OpenSSH's `ssh-keygen -Y verify`.
@Suite struct KeysExportTests {
    static func seed(alice: SoftwareAuthenticator) throws -> [String: Any] {
        func user(_ id: Int, _ name: String, state: String = "active", keys: [[String: Any]]) -> [String: Any] {
            ["id": id, "username": name, "name": name.capitalized, "state": state, "tokens": ["\(name)-token"], "keys": keys]
        }
        let aliceKey: [String: Any] = [
            "title": "yubikey", "key": try alice.publicKey.authorizedKeysLine(), "usage_type": "signing",
            "expires_at": KeysDates.day(100),
        ]
        let expired: [String: Any] = ["title": "old", "key": try KeysKeyLines.randomKeyLine(), "usage_type": "signing", "expires_at": KeysDates.day(-1)]
        let authOnly: [String: Any] = ["title": "auth", "key": try KeysKeyLines.randomKeyLine(), "usage_type": "auth"]
        let plain: [String: Any] = ["title": "plain", "key": KeysKeyLines.plainKeyLine(), "usage_type": "signing"]
        let bobKey: [String: Any] = ["title": "bob", "key": try KeysKeyLines.randomKeyLine(), "usage_type": "signing"]
        return [
            "users": [
                ["id": 1, "username": "root", "name": "Root", "admin": true, "tokens": ["root-token"]],
                user(2, "alice", keys: [aliceKey, expired, plain]),
                user(3, "bob", state: "blocked", keys: [bobKey]),
                user(4, "carol", keys: [authOnly]),
            ],
            "groups": [["id": 10, "path": "team", "members": [2, 3, 4].map { ["user_id": $0, "access_level": 30] }]],
        ]
    }

    @Test func exportedFileVerifiesARealApprovalWithSSHKeygen() async throws {
        let alice = SoftwareAuthenticator.p256()
        let simulation = try await KeysSimulation.start(try Self.seed(alice: alice))
        defer { Task { await simulation.stop() } }

        let export = try await simulation.ciauth(["keys", "export", "--allowed-signers", "--group", "team"])
        #expect(export.status == 0, "\(export.stderr)")
        let lines = export.stdout.split(separator: "\n")
        #expect(lines.count == 1)  // only alice's unexpired signing security key
        let line = try #require(lines.first)
        #expect(line.hasPrefix("alice namespaces=\"\(ApprovalProtocol.namespace)\",valid-before=\"\(KeysDates.day(99).filter(\.isNumber))235959Z\""))
        #expect(line.contains(try alice.publicKey.authorizedKeysLine()))

        let approval = try await KeysApproval.make(key: alice)
        let signers = try simulation.file("allowed_signers", export.stdout)
        let message = try simulation.file("statement", String(decoding: approval.signed.transport.statementBytes, as: UTF8.self))
        let signature = try simulation.file("statement.sig", approval.signed.signature.armored)
        #expect(try sshKeygenVerify(signers: signers, identity: "alice", message: message, signature: signature) == 0)
        #expect(try sshKeygenVerify(signers: signers, identity: "carol", message: message, signature: signature) != 0)

        let byUser = try await simulation.ciauth(["keys", "export", "--allowed-signers", "--user", "alice", "--user", "bob"])
        #expect(byUser.stdout == export.stdout)
        #expect(try await simulation.ciauth(["keys", "export", "--group", "team"]).status == 64)
    }

    @Test func refusesJSONBecauseTheFileIsTheOnlyFormat() async throws {
        let simulation = try await KeysSimulation.start(try Self.seed(alice: SoftwareAuthenticator.p256()))
        defer { Task { await simulation.stop() } }

        let json = try await simulation.ciauth(["keys", "export", "--allowed-signers", "--group", "team", "--json"])
        #expect(json.status == 64)
        #expect(json.stdout.isEmpty)
        #expect(json.stderr.contains("--json"))
        let verbose = try await simulation.ciauth(["keys", "export", "--allowed-signers", "--group", "team", "-v"])
        #expect(verbose.status == 0, "\(verbose.stderr)")
        #expect(verbose.stdout.hasPrefix("alice "))
    }

    func sshKeygenVerify(signers: String, identity: String, message: String, signature: String) throws -> Int32 {
        try ChildProcess.run(
            "/usr/bin/ssh-keygen",
            ["-Y", "verify", "-f", signers, "-I", identity, "-n", ApprovalProtocol.namespace, "-s", signature],
            input: try Data(contentsOf: URL(fileURLWithPath: message)), timeout: .seconds(60)
        ).status
    }
}
