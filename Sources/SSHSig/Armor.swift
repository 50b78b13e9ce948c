/// PEM-like armor OpenSSH uses for signatures and private keys: a `-----BEGIN <label>-----` line,
/// base64 wrapped at 70 columns (`sshbuf_dtob64(..., 1)`), and an `-----END <label>-----` line.
enum Armor {
    static let lineWidth = 70

    /// Byte-for-byte what OpenSSH writes, final newline included.
    static func encode(_ bytes: [UInt8], label: String) -> String {
        var lines = ["-----BEGIN \(label)-----"]
        var rest = Substring(Base64.encode(bytes))
        while !rest.isEmpty {
            lines.append(String(rest.prefix(lineWidth)))
            rest = rest.dropFirst(lineWidth)
        }
        lines.append("-----END \(label)-----")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The text must start with the header line and end with the footer line (trailing whitespace
    /// allowed); base64 lines may be wrapped anywhere and use CRLF.
    static func decode(_ text: String, label: String) throws(SSHSigError) -> [UInt8] {
        let header = "-----BEGIN \(label)-----"
        guard text.hasPrefix(header + "\n") || text.hasPrefix(header + "\r\n") else { throw .missingArmorHeader }
        let afterHeader = text.utf8.dropFirst(header.utf8.count)
        guard let footer = afterHeader.firstRange(of: Array("-----END \(label)-----".utf8)) else { throw .missingArmorFooter }
        let body = afterHeader[..<footer.lowerBound]
        guard body.last == UInt8(ascii: "\n") else { throw .missingArmorFooter }
        guard afterHeader[footer.upperBound...].allSatisfy(isWhitespace) else { throw .dataAfterArmor }
        return try Base64.decode(String(decoding: body.filter { !isWhitespace($0) }, as: UTF8.self))
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
    }
}
