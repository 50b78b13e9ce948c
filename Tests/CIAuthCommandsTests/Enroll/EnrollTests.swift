import CIAuthCore
import Foundation
import SSHSig
import Testing
import VirtualKey

/// `ciauth enroll` end to end: the real binary, libfido2 against the virtual key, GitLab simulated.
@Suite("ciauth enroll")
struct EnrollTests {
    @Test("ES256 credential: key file, .pub line, registered as a signing key, parsed back by ssh-keygen")
    func enrollES256() async throws {
        try await ApproveWorld.with { world in
            let result = try await world.enroll(["--expires-in", "90d", "--json"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("Touch your security key"))
            #expect(result.stderr.contains("AAGUID 63696175-7468-2d76-6b65-792d74657374"))
            let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            try JSONShape.check(result.stdout, .enroll)
            let keys = try world.enrolledKeys()
            try #require(keys.count == 1)
            #expect(keys[0].keyType == .ecdsaP256)
            #expect(keys[0].application == "ssh:ciauth")
            #expect(json["fingerprint"] as? String == keys[0].fingerprint)
            #expect(json["aaguid"] as? String == "63696175-7468-2d76-6b65-792d74657374")
            let registered = try world.sim.keys(ofUser: "alice")
            try #require(registered.count == 1)
            #expect(registered[0].fingerprintSha256 == keys[0].fingerprint)
            #expect(registered[0].usageType == "signing")
            #expect(registered[0].title.hasPrefix("ciauth "))
            #expect(registered[0].expiresAt != nil)
            #expect(json["gitlab_key_id"] as? Int == registered[0].id)

            let file = try #require(json["file"] as? String)
            let attributes = try FileManager.default.attributesOfItem(atPath: file)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            // OpenSSH reads the file we wrote and derives the same public key from it.
            let keygen = try #require(ApproveTools.sshKeygen)
            let derived = try await ApproveProcess.run(keygen, ["-y", "-f", file])
            #expect(derived.status == 0, "\(derived.stderr)")
            let pub = try String(contentsOfFile: file + ".pub", encoding: .utf8)
            #expect(derived.stdout.split(separator: " ").prefix(2) == pub.split(separator: " ").prefix(2))
            #expect(try SKPublicKey(authorizedKeysLine: derived.stdout) == keys[0])

            // The enrollment record beside the key: who it is registered to, 0600.
            let record = file + ".gitlab.json"
            #expect((try FileManager.default.attributesOfItem(atPath: record)[.posixPermissions] as? Int) == 0o600)
            let credential = try #require(try CredentialStore(directory: world.keysDirectory).list().first)
            let registrations = try CredentialStore(directory: world.keysDirectory).registrations(of: credential)
            #expect(registrations == [
                CredentialRegistration(
                    server: try ApprovalStatement.canonicalServerURL(world.sim.baseURL), userID: 2, username: "alice", keyID: registered[0].id)
            ])
        }
    }

    @Test("--attestation-roots with a vendor root: leaf + intermediate accepted, an impostor intermediate refused")
    func attestationRootsCheckTheWholeChain() async throws {
        for (mode, accepted) in [(AttestationMode.packedChain, true), (.packedBrokenChain, false)] {
            try await ApproveWorld.with(attestation: mode) { world in
                let roots = world.directory.appendingPathComponent("vendor-root.pem").path
                try TestAttestation.chainRootCertificatePEM.write(toFile: roots, atomically: true, encoding: .utf8)
                let result = try await world.enroll(["--attestation-roots", roots])
                if accepted {
                    #expect(result.status == 0, "\(result.stderr)")
                    #expect(try world.enrolledKeys().count == 1)
                } else {
                    #expect(result.status != 0)
                    #expect(result.stderr.contains("not issued by a trusted root"), "\(result.stderr)")
                    #expect(try world.sim.keys(ofUser: "alice").isEmpty)
                }
            }
        }
    }

    @Test("Ed25519 credential")
    func enrollEd25519() async throws {
        try await ApproveWorld.with { world in
            let result = try await world.enroll(["--type", "ed25519"])
            #expect(result.status == 0, "\(result.stderr)")
            let keys = try world.enrolledKeys()
            try #require(keys.count == 1)
            #expect(keys[0].keyType == .ed25519)
            #expect(result.stdout.hasPrefix("sk-ssh-ed25519@openssh.com "))
            #expect(try world.sim.keys(ofUser: "alice").map(\.fingerprintSha256) == [keys[0].fingerprint])
        }
    }

    @Test("import of an ssh-keygen sk key file, then the same file again: idempotent, nothing added")
    func importAndDuplicate() async throws {
        try await ApproveWorld.with { world in
            let path = ApproveFixtures.path("approve-import-ecdsa-sk.key")
            let first = try await world.enroll(["--import", path])
            #expect(first.status == 0, "\(first.stderr)")
            let keys = try world.enrolledKeys()
            try #require(keys.count == 1)
            #expect(try world.sim.keys(ofUser: "alice").map(\.fingerprintSha256) == [keys[0].fingerprint])
            #expect(try world.sim.keys(ofUser: "alice").first?.title.hasSuffix("(imported)") == true)
            let store = CredentialStore(directory: world.keysDirectory)
            let credential = try #require(try store.list().first)
            let keyID = try #require(try world.sim.keys(ofUser: "alice").first?.id)
            #expect(try store.registrations(of: credential).map(\.keyID) == [keyID])
            #expect(try store.registrations(of: credential).map(\.username) == ["alice"])

            // Enrolling the enrolled key again changes nothing but writes a missing record anew.
            try FileManager.default.removeItem(at: credential.file.deletingLastPathComponent().appendingPathComponent(credential.file.lastPathComponent + ".gitlab.json"))
            let second = try await world.enroll(["--import", path])
            #expect(second.status == 0, "\(second.stderr)")
            #expect(second.stderr.contains("already on your GitLab profile"))
            #expect(second.stderr.contains("nothing was added"))
            #expect(try world.sim.keys(ofUser: "alice").count == 1)
            #expect(try world.enrolledKeys().count == 1)
            #expect(!world.sim.requests.contains { $0.method == "POST" && $0.status == 400 }, "no duplicate was sent to GitLab")
            #expect(try store.registrations(of: credential).map(\.keyID) == [keyID])
        }
    }

    @Test("a key already on the profile is adopted without registering it again")
    func importAdoptsRegisteredKey() async throws {
        try await ApproveWorld.with { world in
            let path = ApproveFixtures.path("approve-import-ecdsa-sk.key")
            let line = try SKPrivateKeyFile(armored: String(contentsOfFile: path, encoding: .utf8)).publicKey.authorizedKeysLine()
            _ = try world.sim.addKey(.init(title: "laptop", key: line, usageType: "signing"), toUser: "alice")
            let result = try await world.enroll(["--import", path])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("not added again"))
            #expect(try world.enrolledKeys().count == 1)
            let store = CredentialStore(directory: world.keysDirectory)
            let credential = try #require(try store.list().first)
            #expect(try store.registrations(of: credential).map(\.keyID) == [try world.sim.keys(ofUser: "alice")[0].id])
            #expect(try world.sim.keys(ofUser: "alice").count == 1)
        }
    }

    @Test("a passphrase-protected key file is refused with the fix")
    func importEncrypted() async throws {
        try await ApproveWorld.with { world in
            let result = try await world.enroll(["--import", ApproveFixtures.path("approve-import-encrypted.key")])
            #expect(result.status == 1)
            #expect(result.stderr.contains("protected by a passphrase"))
            #expect(result.stderr.contains("ssh-keygen -p -N \"\" -f"))
            #expect(try world.sim.keys(ofUser: "alice").isEmpty)
            #expect(try world.enrolledKeys().isEmpty)
        }
    }

    @Test("an ordinary (non-security-key) SSH key cannot be imported")
    func importOrdinaryKey() async throws {
        try await ApproveWorld.with { world in
            let keygen = try #require(ApproveTools.sshKeygen)
            let path = world.directory.appendingPathComponent("id_ed25519").path
            let made = try await ApproveProcess.run(keygen, ["-q", "-t", "ed25519", "-N", "", "-C", "plain", "-f", path])
            try #require(made.status == 0, "\(made.stderr)")
            let result = try await world.enroll(["--import", path])
            #expect(result.status == 1)
            #expect(result.stderr.contains("only security keys"), "\(result.stderr)")
            #expect(try world.sim.keys(ofUser: "alice").isEmpty)
        }
    }

    @Test("the credential store lists only sk key files and names them by fingerprint")
    func credentialStore() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ca-store-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = CredentialStore(directory: directory)
        #expect(try store.list().isEmpty)
        let key = try SKPrivateKeyFile(armored: String(contentsOfFile: ApproveFixtures.path("approve-import-ecdsa-sk.key"), encoding: .utf8))
        let saved = try store.save(key)
        #expect(saved.file.lastPathComponent.hasPrefix("id_ecdsa_sk_ciauth_"))
        try Data("not a key\n".utf8).write(to: directory.appendingPathComponent("notes.txt"))
        #expect(try store.list().map(\.fingerprint) == [key.publicKey.fingerprint])
        #expect(try store.credential(matching: key.publicKey)?.file == saved.file)
        #expect(throws: EnrollError.self) { try store.save(key) }
        let mode = try FileManager.default.attributesOfItem(atPath: saved.file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        // Records: one entry per server, kept beside the key, not listed as a key, removed with it.
        #expect(try store.registrations(of: saved).isEmpty)
        let first = CredentialRegistration(server: "https://gitlab.example.com", userID: 2, username: "alice", keyID: 7)
        let second = CredentialRegistration(server: "https://git.example.org/gitlab", userID: 9, username: "alice.b", keyID: 8)
        try store.record(first, for: saved)
        try store.record(second, for: saved)
        try store.record(CredentialRegistration(server: "https://gitlab.example.com", userID: 2, username: "alice", keyID: 11), for: saved)
        #expect(Set(try store.registrations(of: saved)) == [second, CredentialRegistration(server: "https://gitlab.example.com", userID: 2, username: "alice", keyID: 11)])
        let record = directory.appendingPathComponent(saved.file.lastPathComponent + ".gitlab.json")
        #expect((try FileManager.default.attributesOfItem(atPath: record.path)[.posixPermissions] as? Int) == 0o600)
        #expect(try store.list().map(\.fingerprint) == [key.publicKey.fingerprint])
        store.remove(saved)
        #expect(!FileManager.default.fileExists(atPath: record.path))
        #expect(!FileManager.default.fileExists(atPath: saved.file.path))
        #expect(try store.list().isEmpty)
    }
}
