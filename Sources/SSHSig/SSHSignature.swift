import Crypto
import Foundation

/// An SSHSIG signature (OpenSSH PROTOCOL.sshsig) made by a security key.
public struct SSHSignature: Hashable, Sendable {
    public static let magic: [UInt8] = Array("SSHSIG".utf8)
    public static let supportedVersion: UInt32 = 1

    public let publicKey: SKPublicKey
    public let namespace: String
    public let hashAlgorithm: SSHSigHashAlgorithm
    public let signature: SKSignature

    public init(publicKey: SKPublicKey, namespace: String, hashAlgorithm: SSHSigHashAlgorithm, signature: SKSignature) throws(SSHSigError) {
        guard !namespace.isEmpty else { throw .emptyNamespace }
        guard SSHText.isPrintable(namespace) else { throw .invalidText(field: "namespace") }
        guard publicKey.keyType == signature.keyType else {
            throw .signatureKeyMismatch(key: publicKey.keyType.rawValue, signature: signature.keyType.rawValue)
        }
        self.publicKey = publicKey
        self.namespace = namespace
        self.hashAlgorithm = hashAlgorithm
        self.signature = signature
    }

    /// PROTOCOL.sshsig "Signed Data": the blob the key signs. For a security key this is the data
    /// whose SHA-256 is the FIDO clientDataHash.
    ///
    ///     byte[6] "SSHSIG", string namespace, string reserved, string hash_algorithm, string H(message)
    public static func signedData(namespace: String, hashAlgorithm: SSHSigHashAlgorithm, message: some DataProtocol) throws(SSHSigError) -> [UInt8] {
        guard !namespace.isEmpty else { throw .emptyNamespace }
        var writer = SSHWriter()
        writer.writeBytes(magic)
        writer.writeString(namespace)
        writer.writeString([UInt8]())
        writer.writeString(hashAlgorithm.rawValue)
        writer.writeString(hashAlgorithm.hash(message))
        return writer.bytes
    }
}

// MARK: - Wire encoding

extension SSHSignature {
    /// PROTOCOL.sshsig "Blob format":
    ///
    ///     byte[6] "SSHSIG", uint32 version, string publickey, string namespace, string reserved,
    ///     string hash_algorithm, string signature
    public var sshWireEncoded: [UInt8] {
        var writer = SSHWriter()
        writer.writeBytes(SSHSignature.magic)
        writer.writeUInt32(SSHSignature.supportedVersion)
        writer.writeString(publicKey.sshWireEncoded)
        writer.writeString(namespace)
        writer.writeString([UInt8]())
        writer.writeString(hashAlgorithm.rawValue)
        writer.writeString(signature.sshWireEncoded)
        return writer.bytes
    }

    /// Parses the binary envelope. The reserved field must be empty and nothing may follow.
    public init(sshWireEncoded bytes: some Collection<UInt8>) throws(SSHSigError) {
        var reader = SSHReader(Array(bytes))
        guard (try? reader.readBytes(SSHSignature.magic.count)).map(Array.init) == SSHSignature.magic else {
            throw .badMagic
        }
        let version = try reader.readUInt32()
        guard version == SSHSignature.supportedVersion else { throw .unsupportedVersion(version) }
        let publicKey = try SKPublicKey(sshWireEncoded: try reader.readString())
        let namespace = try reader.readText(field: "namespace")
        guard try reader.readString().isEmpty else { throw .nonEmptyReserved }
        let hashAlgorithm = try SSHSigHashAlgorithm(name: try reader.readText(field: "hash algorithm"))
        let signature = try SKSignature(sshWireEncoded: try reader.readString())
        try reader.finish()
        try self.init(publicKey: publicKey, namespace: namespace, hashAlgorithm: hashAlgorithm, signature: signature)
    }
}
