import Crypto
@testable import SSHSig

/// Builds SSHSIG envelopes, key blobs and signature blobs field by field, so each malformed-input
/// case changes exactly one thing in an otherwise valid structure.
struct EnvelopeFields {
    var magic = Array("SSHSIG".utf8)
    var version: UInt32 = 1
    var publicKey: [UInt8]
    var namespace = Array("ciauth".utf8)
    var reserved: [UInt8] = []
    var hashAlgorithm = Array("sha512".utf8)
    var signature: [UInt8]

    /// Fields of a valid signature over `message` by a fresh key.
    init(_ key: SoftwareSecurityKey, message: [UInt8] = MalformedInputBuilder.message) throws {
        let valid = try key.sshSignature(message: message, namespace: "ciauth")
        publicKey = valid.publicKey.sshWireEncoded
        signature = valid.signature.sshWireEncoded
    }

    var bytes: [UInt8] {
        var writer = SSHWriter()
        writer.writeBytes(magic)
        writer.writeUInt32(version)
        writer.writeString(publicKey)
        writer.writeString(namespace)
        writer.writeString(reserved)
        writer.writeString(hashAlgorithm)
        writer.writeString(signature)
        return writer.bytes
    }
}

enum MalformedInputBuilder {
    static let message = Array("approve job 4711".utf8)

    static func string(_ text: String) -> [UInt8] {
        var writer = SSHWriter()
        writer.writeString(text)
        return writer.bytes
    }

    static func string(_ bytes: [UInt8]) -> [UInt8] {
        var writer = SSHWriter()
        writer.writeString(bytes)
        return writer.bytes
    }

    static func uint32(_ value: UInt32) -> [UInt8] {
        var writer = SSHWriter()
        writer.writeUInt32(value)
        return writer.bytes
    }

    static var p256Point: [UInt8] { Array(P256.Signing.PrivateKey().publicKey.x963Representation) }

    static func ecdsaKeyBlob(type: String = SKKeyType.ecdsaP256.rawValue, curve: String = "nistp256", point: [UInt8] = p256Point, application: String = "ssh:") -> [UInt8] {
        string(type) + string(curve) + string(point) + string(application)
    }

    static func ed25519KeyBlob(key: [UInt8]) -> [UInt8] {
        string(SKKeyType.ed25519.rawValue) + string(key) + string("ssh:")
    }

    /// An sk-ecdsa signature blob with the given raw mpint bodies.
    static func ecdsaSignatureBlob(r: [UInt8], s: [UInt8], innerSuffix: [UInt8] = []) -> [UInt8] {
        string(SKKeyType.ecdsaP256.rawValue) + string(string(r) + string(s) + innerSuffix) + [0x01] + uint32(1)
    }

    static func ed25519SignatureBlob(_ signature: [UInt8]) -> [UInt8] {
        string(SKKeyType.ed25519.rawValue) + string(signature) + [0x01] + uint32(1)
    }

    /// Adds two little-endian 256-bit numbers (for S + L).
    static func addLittleEndian(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var carry = 0
        return zip(a, b).map { x, y in
            let sum = Int(x) + Int(y) + carry
            carry = sum >> 8
            return UInt8(sum & 0xFF)
        }
    }

    /// P-256 group order n plus `delta` (big-endian, delta small).
    static func p256Order(plus delta: UInt8) -> [UInt8] {
        var value = CurveConstants.p256Order
        value[31] &+= delta
        return value
    }
}

/// Builds openssh-key-v1 files field by field.
struct PrivateKeyFields {
    var magic = Array("openssh-key-v1".utf8) + [0]
    var cipher = "none"
    var kdf = "none"
    var kdfOptions: [UInt8] = []
    var count: UInt32 = 1
    var publicKey: [UInt8]
    var checkInts: (UInt32, UInt32) = (0x1234_5678, 0x1234_5678)
    var privatePublicKey: [UInt8]
    var flags: UInt8 = 0x01
    var keyHandle: [UInt8] = [1, 2, 3, 4]
    var comment = "c"
    var padding: [UInt8]?

    init() throws {
        publicKey = try SoftwareSecurityKey.ed25519().publicKey.sshWireEncoded
        privatePublicKey = publicKey
    }

    var bytes: [UInt8] {
        var section = SSHWriter()
        section.writeUInt32(checkInts.0)
        section.writeUInt32(checkInts.1)
        section.writeBytes(privatePublicKey)
        section.writeByte(flags)
        section.writeString(keyHandle)
        section.writeString([UInt8]())
        section.writeString(comment)
        section.writeBytes(padding ?? (0..<((8 - section.bytes.count % 8) % 8)).map { UInt8($0 + 1) })
        var writer = SSHWriter()
        writer.writeBytes(magic)
        writer.writeString(cipher)
        writer.writeString(kdf)
        writer.writeString(kdfOptions)
        writer.writeUInt32(count)
        writer.writeString(publicKey)
        writer.writeString(section.bytes)
        return writer.bytes
    }
}
