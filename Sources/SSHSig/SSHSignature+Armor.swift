/// The armored text form of an SSHSIG signature, as written by `ssh-keygen -Y sign`
/// (PROTOCOL.sshsig "Armored format"; OpenSSH wraps the base64 at 70 columns).
extension SSHSignature {
    static let armorHeader = "-----BEGIN SSH SIGNATURE-----"
    static let armorFooter = "-----END SSH SIGNATURE-----"
    static let armorLineWidth = 70

    /// Byte-for-byte what `ssh-keygen -Y sign` writes, final newline included.
    public var armored: String {
        let body = Base64.encode(sshWireEncoded)
        var lines = [SSHSignature.armorHeader]
        var rest = Substring(body)
        while !rest.isEmpty {
            lines.append(String(rest.prefix(SSHSignature.armorLineWidth)))
            rest = rest.dropFirst(SSHSignature.armorLineWidth)
        }
        lines.append(SSHSignature.armorFooter)
        return lines.joined(separator: "\n") + "\n"
    }

    /// Parses armored text. The text must start with the header line and end with the footer line
    /// (trailing whitespace allowed); base64 lines may be wrapped anywhere and use CRLF.
    public init(armored text: String) throws(SSHSigError) {
        try self.init(sshWireEncoded: try SSHSignature.dearmor(text))
    }

    static func dearmor(_ text: String) throws(SSHSigError) -> [UInt8] {
        guard text.hasPrefix(armorHeader + "\n") || text.hasPrefix(armorHeader + "\r\n") else {
            throw .missingArmorHeader
        }
        let afterHeader = text.utf8.dropFirst(armorHeader.utf8.count)
        let footer = Array(armorFooter.utf8)
        guard let footerStart = afterHeader.firstRange(of: footer) else { throw .missingArmorFooter }
        let body = afterHeader[..<footerStart.lowerBound]
        guard body.last == UInt8(ascii: "\n") else { throw .missingArmorFooter }
        guard afterHeader[footerStart.upperBound...].allSatisfy(isWhitespace) else { throw .dataAfterArmor }
        let base64 = String(decoding: body.filter { !isWhitespace($0) }, as: UTF8.self)
        return try Base64.decode(base64)
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
    }
}
