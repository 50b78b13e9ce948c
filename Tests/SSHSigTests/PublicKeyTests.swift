import Crypto
import Foundation
import Testing
@testable import SSHSig

@Suite struct PublicKeyTests {
    @Test func fixtureKeysRoundTripThroughTextAndWire() throws {
        for name in ["ecdsa-sk.pub", "ed25519-sk.pub"] {
            let line = try Fixtures.text(name).trimmingCharacters(in: .newlines)
            let key = try SKPublicKey(authorizedKeysLine: line)
            #expect(key.application == "ssh:ciauth")
            #expect(key.authorizedKeysLine(comment: "fixture \(name.replacingOccurrences(of: ".pub", with: ""))") == line)
            #expect(try SKPublicKey(sshWireEncoded: key.sshWireEncoded) == key)
        }
    }

    @Test func wireLayoutMatchesProtocolU2F() throws {
        let p256 = try SoftwareSecurityKey.p256(application: "ssh:").publicKey
        #expect(p256.sshWireEncoded.count == 127)
        let ed25519 = try SoftwareSecurityKey.ed25519(application: "ssh:").publicKey
        #expect(ed25519.sshWireEncoded.count == 74)
        #expect(ed25519.keyType == .ed25519)
    }

    @Test func fingerprintMatchesSSHKeygen() throws {
        let keygen = try #require(Tools.sshKeygen, "ssh-keygen is required")
        let directory = try TemporaryDirectory()
        for key in [try SoftwareSecurityKey.p256().publicKey, try SoftwareSecurityKey.ed25519().publicKey] {
            let path = try directory.write("key.pub", key.authorizedKeysLine(comment: "c") + "\n")
            let output = try run(keygen, ["-l", "-f", path])
            #expect(output.status == 0)
            #expect(output.stdout == "256 \(key.fingerprint) c (\(key.keyType.displayName))\n")
        }
    }

    @Test func gitLabRewrittenCommentIsTolerated() throws {
        let key = try SoftwareSecurityKey.ed25519().publicKey
        let line = key.authorizedKeysLine(comment: "Alice Example (gitlab.example.com)")
        #expect(try SKPublicKey(authorizedKeysLine: line) == key)
        #expect(try SKPublicKey(authorizedKeysLine: key.authorizedKeysLine() + "\r\n") == key)
    }

    @Test func constructorsValidateTheirInput() throws {
        let point = Array(P256.Signing.PrivateKey().publicKey.x963Representation)
        var offCurve = point
        offCurve[64] ^= 0x01
        #expect(throws: SSHSigError.invalidPoint) { try SKPublicKey(ecdsaP256Point: offCurve, application: "ssh:") }
        #expect(throws: SSHSigError.invalidKeyLength(expected: 65, found: 64)) { try SKPublicKey(ecdsaP256Point: Array(point.dropFirst()), application: "ssh:") }
        #expect(try SKPublicKey(ecdsaP256RawXY: Array(point.dropFirst()), application: "ssh:") == (try SKPublicKey(ecdsaP256Point: point, application: "ssh:")))
        #expect(throws: SSHSigError.invalidKeyLength(expected: 64, found: 65)) { try SKPublicKey(ecdsaP256RawXY: point, application: "ssh:") }
        #expect(throws: SSHSigError.invalidText(field: "application")) { try SKPublicKey(ecdsaP256Point: point, application: "ssh:\u{0}") }
        #expect(throws: SSHSigError.invalidKeyLength(expected: 32, found: 31)) { try SKPublicKey(ed25519: [UInt8](repeating: 9, count: 31), application: "ssh:") }
    }

    @Test func smallOrderAndNonCanonicalEd25519KeysAreRefused() {
        var identity = [UInt8](repeating: 0, count: 32)
        identity[0] = 1
        var primeEncoding = [UInt8](repeating: 0xFF, count: 32)
        primeEncoding[0] = 0xED
        primeEncoding[31] = 0x7F
        var signedIdentity = identity
        signedIdentity[31] |= 0x80
        for key in [identity, primeEncoding, signedIdentity, [UInt8](repeating: 0, count: 32)] {
            #expect(throws: SSHSigError.weakEd25519Key) { try SKPublicKey(ed25519: key, application: "ssh:") }
        }
    }
}
