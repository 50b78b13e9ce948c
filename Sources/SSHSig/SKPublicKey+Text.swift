import Crypto

/// The one-line text form used by `.pub` files, authorized_keys, GitLab's key API and
/// allowed_signers: `<type> <base64 wire blob> [comment]`.
extension SKPublicKey {
    /// Parses `<type> <base64> [comment]`. Any comment is tolerated (GitLab replaces it with
    /// "<display name> (<host>)"); authorized_keys options in front of the key are refused.
    public init(authorizedKeysLine line: String) throws(SSHSigError) {
        var line = Substring(line)
        while line.last == "\n" || line.last == "\r" || line.last == "\r\n" { line = line.dropLast() }
        guard !line.contains(where: \.isNewline) else { throw .malformedKeyLine }
        let tokens = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard tokens.count >= 2 else { throw .malformedKeyLine }
        guard SKKeyType.isKnownTypeName(tokens[0]) || !tokens.dropFirst().contains(where: SKKeyType.isKnownTypeName) else {
            throw .optionsNotAllowed(tokens[0])
        }
        try self.init(typeName: tokens[0], base64Blob: tokens[1])
    }

    /// Decodes the key from its two text tokens and checks they name the same type.
    init(typeName: String, base64Blob: String) throws(SSHSigError) {
        let declared = try SKKeyType(name: typeName)
        try self.init(sshWireEncoded: try Base64.decode(base64Blob))
        guard keyType == declared else {
            throw .keyTypeMismatch(expected: declared.rawValue, found: keyType.rawValue)
        }
    }

    /// `<type> <base64>` plus ` <comment>` when a non-empty comment is given.
    public func authorizedKeysLine(comment: String? = nil) -> String {
        let base = "\(keyType.rawValue) \(Base64.encode(sshWireEncoded))"
        guard let comment, !comment.isEmpty else { return base }
        return "\(base) \(comment)"
    }

    /// "SHA256:<unpadded base64 of SHA-256(wire blob)>", exactly as `ssh-keygen -l` prints it.
    public var fingerprint: String {
        "SHA256:" + Base64.encode(SHA256.hash(data: sshWireEncoded).bytes, padded: false)
    }
}
