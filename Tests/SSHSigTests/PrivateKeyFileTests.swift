import Foundation
import Testing
@testable import SSHSig

@Suite struct PrivateKeyFileTests {
    @Test(arguments: ["ecdsa-sk", "ed25519-sk"])
    func sshKeygenKeyFilesParseAndReencodeByteForByte(name: String) throws {
        let text = try Fixtures.text("\(name).key")
        let file = try SKPrivateKeyFile(armored: text)
        #expect(file.armored == text)
        #expect(file.publicKey == (try SKPublicKey(authorizedKeysLine: try Fixtures.text("\(name).pub"))))
        #expect(file.flags == SKPrivateKeyFile.userPresenceRequired)
        #expect(file.keyHandle.count == 32)
        #expect(file.reserved.isEmpty)
        #expect(file.comment == "fixture \(name)")
    }

    @Test func policyFlagsApplicationAndEmptyCommentSurvive() throws {
        let text = try Fixtures.text("ecdsa-sk-resident-uv.key")
        let file = try SKPrivateKeyFile(armored: text)
        #expect(file.flags == SKPrivateKeyFile.userPresenceRequired | SKPrivateKeyFile.userVerificationRequired | SKPrivateKeyFile.residentKey)
        #expect(file.publicKey.application == "ssh:other")
        #expect(file.comment == "")
        #expect(file.armored == text)
    }

    @Test func encryptedKeyFileIsDetected() throws {
        #expect(throws: SSHSigError.encryptedPrivateKey(cipher: "aes256-ctr")) {
            try SKPrivateKeyFile(armored: try Fixtures.text("ed25519-sk-encrypted.key"))
        }
    }

    @Test(arguments: [0, 1, 7, 100])
    func paddingAlignsThePrivateSection(commentLength: Int) throws {
        let file = try SKPrivateKeyFile(publicKey: try SoftwareSecurityKey.ed25519().publicKey, keyHandle: [1, 2, 3], comment: String(repeating: "c", count: commentLength))
        #expect(try SKPrivateKeyFile(sshWireEncoded: file.sshWireEncoded) == file)
    }

    /// A key file written by us from an enrolled credential is usable by `ssh-keygen -Y sign` and
    /// `ssh-keygen -y`, and what it signs verifies.
    @Test(arguments: ["ecdsa-sk", "ed25519-sk"])
    func sshKeygenSignsWithAKeyFileWeWrote(keyType: String) throws {
        let openSSH = try OpenSSH()
        let enrolled = try SKPrivateKeyFile(armored: try String(contentsOfFile: try openSSH.enroll(keyType: keyType, application: "ssh:ciauth"), encoding: .utf8))
        let ours = try SKPrivateKeyFile(publicKey: enrolled.publicKey, flags: enrolled.flags, keyHandle: enrolled.keyHandle, comment: "written by ciauth")
        let path = try openSSH.workspace.write("ours", ours.armored)
        #expect(chmod(path, 0o600) == 0)

        let derived = try run(openSSH.keygen, ["-y", "-f", path])
        #expect(derived.status == 0, "\(derived.stderr)")
        #expect(derived.stdout == ours.publicKey.authorizedKeysLine(comment: "written by ciauth") + "\n")

        let message = Array("signed with a key file ciauth wrote".utf8)
        let armored = try openSSH.sign(keyFile: path, message: message, namespace: "ciauth")
        #expect(try SSHSigVerifier().verify(armoredSignature: armored, message: message, namespace: "ciauth").isValid)
    }
}
