/// The armored text form of an SSHSIG signature, as written by `ssh-keygen -Y sign`
/// (PROTOCOL.sshsig "Armored format"; OpenSSH wraps the base64 at 70 columns).
extension SSHSignature {
    static let armorLabel = "SSH SIGNATURE"

    /// Byte-for-byte what `ssh-keygen -Y sign` writes, final newline included.
    public var armored: String {
        Armor.encode(sshWireEncoded, label: SSHSignature.armorLabel)
    }

    /// Parses armored text: it must start with the BEGIN line and end with the END line (trailing
    /// whitespace allowed); the base64 may be wrapped anywhere and use CRLF line ends.
    public init(armored text: String) throws(SSHSigError) {
        try self.init(sshWireEncoded: try Armor.decode(text, label: SSHSignature.armorLabel))
    }
}
