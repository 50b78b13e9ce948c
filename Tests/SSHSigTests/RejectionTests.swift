import Foundation
import Testing
@testable import SSHSig

/// A malformed input and the exact error it must be rejected with.
struct MalformedCase: Sendable, CustomTestStringConvertible {
    let name: String
    let expected: SSHSigError
    let parse: @Sendable () throws -> Void

    var testDescription: String { name }
}

typealias B = MalformedInputBuilder

/// Envelope `bytes` after `edit`, parsed as a binary SSHSIG blob.
func envelopeCase(_ name: String, _ expected: SSHSigError, key: SoftwareSecurityKey = .p256(), _ edit: @escaping @Sendable (inout EnvelopeFields) -> Void) -> MalformedCase {
    MalformedCase(name: name, expected: expected) {
        var fields = try EnvelopeFields(key)
        edit(&fields)
        _ = try SSHSignature(sshWireEncoded: fields.bytes)
    }
}

func bytesCase(_ name: String, _ expected: SSHSigError, _ bytes: @escaping @Sendable () throws -> [UInt8]) -> MalformedCase {
    MalformedCase(name: name, expected: expected) { _ = try SSHSignature(sshWireEncoded: try bytes()) }
}

func armorCase(_ name: String, _ expected: SSHSigError, _ text: @escaping @Sendable (String) -> String) -> MalformedCase {
    MalformedCase(name: name, expected: expected) {
        let valid = try SoftwareSecurityKey.ed25519().sshSignature(message: B.message).armored
        _ = try SSHSignature(armored: text(valid))
    }
}

func keyLineCase(_ name: String, _ expected: SSHSigError, _ line: @escaping @Sendable (String) -> String) -> MalformedCase {
    MalformedCase(name: name, expected: expected) {
        let valid = try SoftwareSecurityKey.ed25519().publicKey.authorizedKeysLine(comment: "c")
        _ = try SKPublicKey(authorizedKeysLine: line(valid))
    }
}

func allowedSignersCase(_ name: String, _ expected: SSHSigError, _ line: @escaping @Sendable (String) -> String) -> MalformedCase {
    MalformedCase(name: name, expected: .inAllowedSignersLine(2, expected)) {
        let key = try SoftwareSecurityKey.p256().publicKey.authorizedKeysLine()
        _ = try AllowedSigners(parsing: "# team\n" + line(key) + "\n")
    }
}

func privateKeyCase(_ name: String, _ expected: SSHSigError, _ edit: @escaping @Sendable (inout PrivateKeyFields) throws -> Void) -> MalformedCase {
    MalformedCase(name: name, expected: expected) {
        var fields = try PrivateKeyFields()
        try edit(&fields)
        _ = try SKPrivateKeyFile(sshWireEncoded: fields.bytes)
    }
}

enum MalformedCases {
    static let envelope: [MalformedCase] = [
        bytesCase("empty input", .badMagic) { [] },
        bytesCase("magic only", .truncated) { Array("SSHSIG".utf8) },
        envelopeCase("wrong magic", .badMagic) { $0.magic = Array("SSHSIH".utf8) },
        envelopeCase("version 2", .unsupportedVersion(2)) { $0.version = 2 },
        envelopeCase("version 0", .unsupportedVersion(0)) { $0.version = 0 },
        bytesCase("truncated in the middle", .truncated) { let b = try EnvelopeFields(.p256()).bytes; return Array(b.prefix(b.count / 2)) },
        bytesCase("last byte missing", .truncated) { Array(try EnvelopeFields(.ed25519()).bytes.dropLast()) },
        bytesCase("trailing byte", .trailingBytes(count: 1)) { try EnvelopeFields(.ed25519()).bytes + [0] },
        bytesCase("huge public key length", .lengthTooLarge(declared: 0xFFFF_FFF0, limit: SSHReader.defaultLengthLimit)) {
            Array("SSHSIG".utf8) + B.uint32(1) + B.uint32(0xFFFF_FFF0) + [1, 2, 3]
        },
        envelopeCase("empty namespace", .emptyNamespace) { $0.namespace = [] },
        envelopeCase("namespace with newline", .invalidText(field: "namespace")) { $0.namespace = Array("ciauth\n".utf8) },
        envelopeCase("namespace not UTF-8", .invalidText(field: "namespace")) { $0.namespace = [0xC3, 0x28] },
        envelopeCase("reserved not empty", .nonEmptyReserved) { $0.reserved = [0] },
        envelopeCase("hash sha1", .unsupportedHashAlgorithm("sha1")) { $0.hashAlgorithm = Array("sha1".utf8) },
        envelopeCase("hash upper case", .unsupportedHashAlgorithm("SHA512")) { $0.hashAlgorithm = Array("SHA512".utf8) },
        envelopeCase("signature type differs from key type", .signatureKeyMismatch(key: SKKeyType.ecdsaP256.rawValue, signature: SKKeyType.ed25519.rawValue)) {
            $0.signature = B.ed25519SignatureBlob([UInt8](repeating: 1, count: 64))
        },
    ]

    static let publicKeys: [MalformedCase] = [
        envelopeCase("plain ECDSA key", .notSecurityKey("ecdsa-sha2-nistp256")) { $0.publicKey = B.string("ecdsa-sha2-nistp256") + B.string("nistp256") + B.string(B.p256Point) },
        envelopeCase("plain Ed25519 key", .notSecurityKey("ssh-ed25519")) { $0.publicKey = B.string("ssh-ed25519") + B.string([UInt8](repeating: 7, count: 32)) },
        envelopeCase("RSA key", .notSecurityKey("ssh-rsa")) { $0.publicKey = B.string("ssh-rsa") + B.string([1, 0, 1]) + B.string([0x00, 0xC1]) },
        envelopeCase("unknown key type", .unsupportedKeyType("sk-ecdsa-sha2-nistp384@openssh.com")) { $0.publicKey = B.ecdsaKeyBlob(type: "sk-ecdsa-sha2-nistp384@openssh.com") },
        envelopeCase("webauthn key type", .unsupportedKeyType("webauthn-sk-ecdsa-sha2-nistp256@openssh.com")) { $0.publicKey = B.ecdsaKeyBlob(type: "webauthn-sk-ecdsa-sha2-nistp256@openssh.com") },
        envelopeCase("sk certificate", .unsupportedKeyType("sk-ssh-ed25519-cert-v01@openssh.com")) { $0.publicKey = B.string("sk-ssh-ed25519-cert-v01@openssh.com") },
        envelopeCase("wrong curve name", .unsupportedCurve("nistp384")) { $0.publicKey = B.ecdsaKeyBlob(curve: "nistp384") },
        envelopeCase("point not on curve", .invalidPoint) { var point = B.p256Point; point[64] ^= 1; $0.publicKey = B.ecdsaKeyBlob(point: point) },
        envelopeCase("point at infinity encoding", .invalidKeyLength(expected: 65, found: 1)) { $0.publicKey = B.ecdsaKeyBlob(point: [0x00]) },
        envelopeCase("compressed point", .invalidKeyLength(expected: 65, found: 33)) { $0.publicKey = B.ecdsaKeyBlob(point: [0x02] + Array(B.p256Point[1...32])) },
        envelopeCase("point with hybrid prefix", .invalidPoint) { var point = B.p256Point; point[0] = 0x06; $0.publicKey = B.ecdsaKeyBlob(point: point) },
        envelopeCase("all-zero point", .invalidPoint) { $0.publicKey = B.ecdsaKeyBlob(point: [0x04] + [UInt8](repeating: 0, count: 64)) },
        envelopeCase("short Ed25519 key", .invalidKeyLength(expected: 32, found: 31), key: .ed25519()) { $0.publicKey = B.ed25519KeyBlob(key: [UInt8](repeating: 9, count: 31)) },
        envelopeCase("small-order Ed25519 key", .weakEd25519Key, key: .ed25519()) { $0.publicKey = B.ed25519KeyBlob(key: [1] + [UInt8](repeating: 0, count: 31)) },
        envelopeCase("non-canonical Ed25519 key", .weakEd25519Key, key: .ed25519()) { $0.publicKey = B.ed25519KeyBlob(key: [0xEE] + [UInt8](repeating: 0xFF, count: 30) + [0x7F]) },
        envelopeCase("Ed25519 key not on the curve", .invalidPoint, key: .ed25519()) {
            $0.publicKey = B.ed25519KeyBlob(key: Ed25519PointCheckTests.bytes(Ed25519PointCheckTests.offCurve[0]))
        },
        envelopeCase("trailing byte in key blob", .trailingBytes(count: 1)) { $0.publicKey += [0] },
        envelopeCase("application with NUL", .invalidText(field: "application")) { $0.publicKey = B.ecdsaKeyBlob(application: "ssh:\u{0}x") },
    ]

    static let signatures: [MalformedCase] = [
        envelopeCase("ECDSA r = 0", .signatureScalarOutOfRange) { $0.signature = B.ecdsaSignatureBlob(r: [], s: [1]) },
        envelopeCase("ECDSA s = 0", .signatureScalarOutOfRange) { $0.signature = B.ecdsaSignatureBlob(r: [1], s: []) },
        envelopeCase("ECDSA s = n", .signatureScalarOutOfRange) { $0.signature = B.ecdsaSignatureBlob(r: [1], s: [0] + B.p256Order(plus: 0)) },
        envelopeCase("ECDSA r = n + 1", .signatureScalarOutOfRange) { $0.signature = B.ecdsaSignatureBlob(r: [0] + B.p256Order(plus: 1), s: [1]) },
        envelopeCase("ECDSA r of 33 bytes", .signatureScalarOutOfRange) { $0.signature = B.ecdsaSignatureBlob(r: [1] + [UInt8](repeating: 0, count: 32), s: [1]) },
        envelopeCase("ECDSA r with extra leading zero", .nonCanonicalMPInt) { $0.signature = B.ecdsaSignatureBlob(r: [0, 0x12], s: [1]) },
        envelopeCase("ECDSA s negative", .negativeMPInt) { $0.signature = B.ecdsaSignatureBlob(r: [1], s: [0x80, 1]) },
        envelopeCase("ECDSA inner trailing bytes", .trailingBytes(count: 2)) { $0.signature = B.ecdsaSignatureBlob(r: [1], s: [1], innerSuffix: [0, 0]) },
        envelopeCase("Ed25519 signature of 63 bytes", .invalidSignatureLength(expected: 64, found: 63), key: .ed25519()) { $0.signature = B.ed25519SignatureBlob([UInt8](repeating: 1, count: 63)) },
        envelopeCase("Ed25519 S not below L", .nonCanonicalEd25519Signature, key: .ed25519()) { fields in
            guard let valid = try? SKSignature(sshWireEncoded: fields.signature), case .ed25519(let bytes) = valid.value else { return }
            fields.signature = B.ed25519SignatureBlob(Array(bytes[..<32]) + B.addLittleEndian(Array(bytes[32...]), CurveConstants.ed25519OrderLE))
        },
        envelopeCase("signature blob without counter", .truncated) { $0.signature = Array($0.signature.dropLast(4)) },
        envelopeCase("signature blob trailing byte", .trailingBytes(count: 1)) { $0.signature += [0] },
        envelopeCase("plain ECDSA signature type", .notSecurityKey("ecdsa-sha2-nistp256")) { $0.signature = B.string("ecdsa-sha2-nistp256") + B.string(B.string([1]) + B.string([1])) },
    ]

    static let armor: [MalformedCase] = [
        armorCase("missing header", .missingArmorHeader) { String($0.drop { $0 != "\n" }.dropFirst()) },
        armorCase("indented header", .missingArmorHeader) { " " + $0 },
        armorCase("private key label", .missingArmorHeader) { $0.replacingOccurrences(of: "BEGIN SSH SIGNATURE", with: "BEGIN OPENSSH PRIVATE KEY") },
        armorCase("missing footer", .missingArmorFooter) { $0.replacingOccurrences(of: "-----END SSH SIGNATURE-----\n", with: "") },
        armorCase("footer glued to base64", .missingArmorFooter) { $0.replacingOccurrences(of: "\n-----END", with: "-----END") },
        armorCase("character outside base64", .badBase64) { $0.replacingOccurrences(of: "U1NIU0lH", with: "U1NIU0l*") },
        armorCase("base64 cut short", .badBase64) { $0.replacingOccurrences(of: "U1NIU0lH", with: "U1NIU0l") },
        armorCase("text after footer", .dataAfterArmor) { $0 + "PS: trust me\n" },
        armorCase("second signature appended", .dataAfterArmor) { $0 + $0 },
        armorCase("empty body", .badMagic) { _ in "-----BEGIN SSH SIGNATURE-----\n\n-----END SSH SIGNATURE-----\n" },
    ]

    static let keyLines: [MalformedCase] = [
        keyLineCase("authorized_keys options", .optionsNotAllowed("no-touch-required")) { "no-touch-required " + $0 },
        keyLineCase("quoted command option", .optionsNotAllowed("command=\"echo")) { "command=\"echo hi\" " + $0 },
        keyLineCase("type name differs from blob", .keyTypeMismatch(expected: SKKeyType.ecdsaP256.rawValue, found: SKKeyType.ed25519.rawValue)) {
            $0.replacingOccurrences(of: SKKeyType.ed25519.rawValue + " ", with: SKKeyType.ecdsaP256.rawValue + " ")
        },
        keyLineCase("type only", .malformedKeyLine) { String($0.prefix { $0 != " " }) },
        keyLineCase("two keys in one string", .malformedKeyLine) { $0 + "\n" + $0 },
        keyLineCase("bad base64 blob", .badBase64) { $0.replacingOccurrences(of: "AAAA", with: "AA!A") },
        keyLineCase("plain ed25519 key line", .notSecurityKey("ssh-ed25519")) { _ in "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user" },
        keyLineCase("rsa key line", .notSecurityKey("ssh-rsa")) { _ in "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC user" },
    ]

    static let allowedSigners: [MalformedCase] = [
        allowedSignersCase("no-touch-required option", .unknownOption("no-touch-required")) { "alice no-touch-required \($0)" },
        allowedSignersCase("verify-required option", .unknownOption("verify-required")) { "alice verify-required \($0)" },
        allowedSignersCase("unterminated namespaces quote", .unterminatedQuote) { "alice namespaces=\"ciauth \($0)" },
        allowedSignersCase("unquoted namespaces", .emptyOptionValue("namespaces")) { "alice namespaces=ciauth \($0)" },
        allowedSignersCase("invalid timestamp", .invalidTimestamp("2025-01-01")) { "alice valid-after=\"2025-01-01\" \($0)" },
        allowedSignersCase("impossible date", .invalidTimestamp("20250230")) { "alice valid-after=\"20250230\" \($0)" },
        allowedSignersCase("duplicate namespaces", .duplicateOption("namespaces")) { "alice namespaces=\"a\",namespaces=\"b\" \($0)" },
        allowedSignersCase("validity interval reversed", .invalidValidityInterval) { "alice valid-after=\"20260101Z\",valid-before=\"20250101Z\" \($0)" },
        allowedSignersCase("backslash in namespaces", .invalidText(field: "namespaces")) { "alice namespaces=\"a\\\\b\" \($0)" },
        allowedSignersCase("missing key", .malformedKeyLine) { _ in "alice" },
        allowedSignersCase("empty quoted principals", .missingPrincipals) { "\"\" \($0)" },
        allowedSignersCase("options with trailing comma", .unknownOption("")) { "alice namespaces=\"x\", \($0)" },
    ]

    static let privateKeys: [MalformedCase] = [
        privateKeyCase("private key: wrong magic", .badPrivateKeyMagic) { $0.magic = Array("openssh-key-v2".utf8) + [0] },
        privateKeyCase("private key: encrypted", .encryptedPrivateKey(cipher: "aes256-ctr")) { $0.cipher = "aes256-ctr"; $0.kdf = "bcrypt" },
        privateKeyCase("private key: kdf without cipher", .unsupportedKDF("bcrypt")) { $0.kdf = "bcrypt" },
        privateKeyCase("private key: two keys", .unsupportedKeyCount(2)) { $0.count = 2 },
        privateKeyCase("private key: checkints differ", .checkIntMismatch) { $0.checkInts = (1, 2) },
        privateKeyCase("private key: other public key inside", .privateKeyMismatch) { $0.privatePublicKey = try SoftwareSecurityKey.ed25519().publicKey.sshWireEncoded },
        privateKeyCase("private key: wrong padding bytes", .badPadding) { $0.padding = [1, 2, 3, 5] },
        privateKeyCase("private key: unaligned section", .badPadding) { $0.padding = [1, 2, 3] },
        privateKeyCase("private key: padding of a full block", .badPadding) { $0.padding = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] },
        privateKeyCase("private key: plain ed25519", .notSecurityKey("ssh-ed25519")) { $0.publicKey = B.string("ssh-ed25519") + B.string([UInt8](repeating: 3, count: 32)) },
        MalformedCase(name: "private key: signature armor", expected: .missingArmorHeader) {
            _ = try SKPrivateKeyFile(armored: try SoftwareSecurityKey.p256().sshSignature(message: B.message).armored)
        },
    ]

    static let all = envelope + publicKeys + signatures + armor + keyLines + allowedSigners + privateKeys
}

@Suite struct RejectionTests {
    @Test(arguments: MalformedCases.all)
    func malformedInputIsRejectedWithItsReason(_ input: MalformedCase) {
        #expect(throws: input.expected) { try input.parse() }
    }

    @Test func thereAreAtLeastFortyMalformedCases() {
        #expect(MalformedCases.all.count >= 40)
        #expect(Set(MalformedCases.all.map(\.name)).count == MalformedCases.all.count)
    }
}
