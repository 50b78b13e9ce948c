import Crypto
import Foundation
import Testing
@testable import SSHSig

@Suite struct EnvelopeTests {
    static let fixtureSignatures = ["ecdsa-sk.sig", "ed25519-sk.sig", "ecdsa-sk-sha256.sig", "ed25519-sk-sha256.sig"]

    @Test(arguments: fixtureSignatures)
    func sshKeygenSignatureFileReencodesByteForByte(name: String) throws {
        let text = try Fixtures.text(name)
        let signature = try SSHSignature(armored: text)
        #expect(signature.armored == text)
        #expect(try SSHSignature(sshWireEncoded: signature.sshWireEncoded) == signature)
        #expect(signature.namespace == "ciauth-fixture")
        #expect(signature.hashAlgorithm == (name.contains("sha256") ? .sha256 : .sha512))
        #expect(signature.signature.flags == 0x01)
        #expect(signature.signature.counter == 42)
    }

    @Test(arguments: fixtureSignatures)
    func fixtureSignaturesVerify(name: String) throws {
        let signature = try SSHSignature(armored: try Fixtures.text(name))
        let keyFile = name.hasPrefix("ecdsa") ? "ecdsa-sk.pub" : "ed25519-sk.pub"
        #expect(signature.publicKey == (try SKPublicKey(authorizedKeysLine: try Fixtures.text(keyFile))))
        let result = SSHSigVerifier().verify(signature: signature, message: try Fixtures.bytes("message.txt"), namespace: "ciauth-fixture")
        #expect(result.isValid)
    }

    @Test func signedDataLayoutMatchesProtocolSSHSIG() throws {
        let data = try SSHSignature.signedData(namespace: "file", hashAlgorithm: .sha512, message: Array("m".utf8))
        #expect(data.count == 96)
        #expect(Array(data.prefix(6)) == Array("SSHSIG".utf8))
        #expect(Array(data[6..<14]) == [0, 0, 0, 4] + Array("file".utf8))
        #expect(Array(data[14..<18]) == [0, 0, 0, 0])
        #expect(Array(data[18..<28]) == [0, 0, 0, 6] + Array("sha512".utf8))
        #expect(Array(data[28..<32]) == [0, 0, 0, 64])
        let sha256 = try SSHSignature.signedData(namespace: "file", hashAlgorithm: .sha256, message: Array("m".utf8))
        #expect(sha256.count == 64)
        #expect(throws: SSHSigError.emptyNamespace) { try SSHSignature.signedData(namespace: "", hashAlgorithm: .sha512, message: [1]) }
    }

    @Test(arguments: [SoftwareSecurityKey.p256(), SoftwareSecurityKey.ed25519()])
    func producedSignaturesRoundTrip(key: SoftwareSecurityKey) throws {
        let signature = try key.sshSignature(message: Array("statement".utf8), hashAlgorithm: .sha256, flags: 0x05, counter: 0xFFFF_FFFF)
        let armored = signature.armored
        #expect(armored.hasPrefix("-----BEGIN SSH SIGNATURE-----\n"))
        #expect(armored.hasSuffix("\n-----END SSH SIGNATURE-----\n"))
        let bodyLines = armored.split(separator: "\n").dropFirst().dropLast()
        #expect(bodyLines.dropLast().allSatisfy { $0.count == 70 })
        #expect(try SSHSignature(armored: armored) == signature)
        #expect(try SKSignature(sshWireEncoded: signature.signature.sshWireEncoded) == signature.signature)
    }

    @Test func armorToleratesCRLFAndRewrapping() throws {
        let text = try Fixtures.text("ed25519-sk.sig")
        let signature = try SSHSignature(armored: text)
        #expect(try SSHSignature(armored: text.replacingOccurrences(of: "\n", with: "\r\n")) == signature)
        let lines = text.split(separator: "\n")
        let rewrapped = [String(lines[0]), lines.dropFirst().dropLast().joined(), String(lines[lines.count - 1])].joined(separator: "\n")
        #expect(try SSHSignature(armored: rewrapped + "\n\n") == signature)
    }

    @Test func ecdsaSignatureFromDERMatchesRawValues() throws {
        for _ in 0..<20 {
            let signature = try P256.Signing.PrivateKey().signature(for: Array("m".utf8))
            let raw = Array(signature.rawRepresentation)
            let fromDER = try SKSignature(ecdsaDER: Array(signature.derRepresentation), flags: 1, counter: 9)
            #expect(fromDER == (try SKSignature(ecdsaR: raw[..<32], s: raw[32...], flags: 1, counter: 9)))
        }
        let der = Array(try P256.Signing.PrivateKey().signature(for: [1]).derRepresentation)
        #expect(throws: SSHSigError.invalidDERSignature) { try SKSignature(ecdsaDER: der + [0], flags: 1, counter: 1) }
        #expect(throws: SSHSigError.invalidDERSignature) { try SKSignature(ecdsaDER: [0x30, 0x81] + Array(der.dropFirst()), flags: 1, counter: 1) }
        #expect(throws: SSHSigError.invalidDERSignature) { try SKSignature(ecdsaDER: Array(der.dropLast()), flags: 1, counter: 1) }
        #expect(throws: SSHSigError.signatureScalarOutOfRange) { try SKSignature(ecdsaDER: [0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x01], flags: 1, counter: 1) }
    }

    @Test func ecdsaSignatureFromFixedWidthValuesEncodesMinimalMPInts() throws {
        let r = [UInt8](repeating: 0, count: 31) + [0x80]
        let s = [0x01] + [UInt8](repeating: 0, count: 31)
        let signature = try SKSignature(ecdsaR: r, s: s, flags: 1, counter: 2)
        let inner: [UInt8] = [0, 0, 0, 2, 0x00, 0x80] + [0, 0, 0, 32] + s
        var expected = SSHWriter()
        expected.writeString(SKKeyType.ecdsaP256.rawValue)
        expected.writeString(inner)
        expected.writeByte(1)
        expected.writeUInt32(2)
        #expect(signature.sshWireEncoded == expected.bytes)
        #expect(signature.ecdsaRawRepresentation == r + s)
    }
}
