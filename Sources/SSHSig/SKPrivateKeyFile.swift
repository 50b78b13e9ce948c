/// An unencrypted OpenSSH private key file (openssh-key-v1, PROTOCOL.key) for a security key.
/// It holds no secret: the "private key" is the FIDO credential id (key handle) plus the key's
/// policy flags, so `ssh-keygen -Y sign -f <file>` can ask the authenticator to sign.
public struct SKPrivateKeyFile: Hashable, Sendable {
    public static let userPresenceRequired: UInt8 = 0x01
    public static let userVerificationRequired: UInt8 = 0x04
    public static let residentKey: UInt8 = 0x20

    public let publicKey: SKPublicKey
    /// OpenSSH key policy `sk_flags` (0x01 user presence, 0x04 verification, 0x20 resident); not the
    /// authenticator data flags of a signature.
    public let flags: UInt8
    /// The FIDO credential id.
    public let keyHandle: [UInt8]
    public let reserved: [UInt8]
    public let comment: String
    /// The "checkint" written twice in the private section (random in files OpenSSH writes).
    public let checkInt: UInt32

    public init(publicKey: SKPublicKey, flags: UInt8 = SKPrivateKeyFile.userPresenceRequired, keyHandle: [UInt8], reserved: [UInt8] = [], comment: String = "", checkInt: UInt32 = .random(in: .min ... .max)) throws(SSHSigError) {
        guard SSHText.isPrintable(comment) else { throw .invalidText(field: "comment") }
        self.publicKey = publicKey
        self.flags = flags
        self.keyHandle = keyHandle
        self.reserved = reserved
        self.comment = comment
        self.checkInt = checkInt
    }
}

// MARK: - Encoding

extension SKPrivateKeyFile {
    static let magic: [UInt8] = Array("openssh-key-v1".utf8) + [0]
    static let armorLabel = "OPENSSH PRIVATE KEY"
    /// Cipher block size for "none" (PROTOCOL.key: pad the private section to it).
    static let blockSize = 8

    /// PROTOCOL.key: magic, string ciphername, string kdfname, string kdfoptions, uint32 N,
    /// string publickey, string private section (checkint ×2, key, comment, padding 1, 2, 3, ...).
    public var sshWireEncoded: [UInt8] {
        var writer = SSHWriter()
        writer.writeBytes(SKPrivateKeyFile.magic)
        writer.writeString("none")
        writer.writeString("none")
        writer.writeString([UInt8]())
        writer.writeUInt32(1)
        writer.writeString(publicKey.sshWireEncoded)
        writer.writeString(privateSection)
        return writer.bytes
    }

    /// Byte-for-byte the file `ssh-keygen` writes for this key (with the same checkint).
    public var armored: String {
        Armor.encode(sshWireEncoded, label: SKPrivateKeyFile.armorLabel)
    }

    /// PROTOCOL.u2f private key layout after the checkints: the public fields, then
    /// byte flags, string key_handle, string reserved; then the comment and padding.
    private var privateSection: [UInt8] {
        var writer = SSHWriter()
        writer.writeUInt32(checkInt)
        writer.writeUInt32(checkInt)
        publicKey.write(to: &writer)
        writer.writeByte(flags)
        writer.writeString(keyHandle)
        writer.writeString(reserved)
        writer.writeString(comment)
        let padding = (SKPrivateKeyFile.blockSize - writer.bytes.count % SKPrivateKeyFile.blockSize) % SKPrivateKeyFile.blockSize
        writer.writeBytes((0..<padding).map { UInt8($0 + 1) })
        return writer.bytes
    }

    public init(armored text: String) throws(SSHSigError) {
        try self.init(sshWireEncoded: try Armor.decode(text, label: SKPrivateKeyFile.armorLabel))
    }

    public init(sshWireEncoded bytes: some Collection<UInt8>) throws(SSHSigError) {
        var reader = SSHReader(Array(bytes))
        guard (try? reader.readBytes(SKPrivateKeyFile.magic.count)).map(Array.init) == SKPrivateKeyFile.magic else {
            throw .badPrivateKeyMagic
        }
        let cipher = try reader.readText(field: "cipher name")
        guard cipher == "none" else { throw .encryptedPrivateKey(cipher: cipher) }
        let kdf = try reader.readText(field: "kdf name")
        guard kdf == "none", try reader.readString().isEmpty else { throw .unsupportedKDF(kdf) }
        let count = try reader.readUInt32()
        guard count == 1 else { throw .unsupportedKeyCount(count) }
        let publicKey = try SKPublicKey(sshWireEncoded: try reader.readString())
        let section = try reader.readString()
        try reader.finish()
        self = try SKPrivateKeyFile.readPrivateSection(section, expecting: publicKey)
    }

    private static func readPrivateSection(_ section: ArraySlice<UInt8>, expecting publicKey: SKPublicKey) throws(SSHSigError) -> SKPrivateKeyFile {
        guard section.count % blockSize == 0 else { throw .badPadding }
        var reader = SSHReader(section)
        let checkInt = try reader.readUInt32()
        guard try reader.readUInt32() == checkInt else { throw .checkIntMismatch }
        guard try SKPublicKey.read(from: &reader) == publicKey else { throw .privateKeyMismatch }
        let flags = try reader.readByte()
        let keyHandle = Array(try reader.readString())
        let reserved = Array(try reader.readString())
        let comment = try reader.readText(field: "comment")
        let padding = Array(try reader.readBytes(reader.remainingCount))
        guard padding.count < blockSize, padding.enumerated().allSatisfy({ UInt8($0.offset + 1) == $0.element }) else {
            throw .badPadding
        }
        return try SKPrivateKeyFile(publicKey: publicKey, flags: flags, keyHandle: keyHandle, reserved: reserved, comment: comment, checkInt: checkInt)
    }
}
