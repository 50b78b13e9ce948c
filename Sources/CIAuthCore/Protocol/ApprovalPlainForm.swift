import SSHSig

/// The printable form of an approval (docs/protocol.md section 3.2): the statement followed by the
/// ASCII-armored SSHSIG exactly as `ssh-keygen -Y sign` writes it.
extension ApprovalTransport {
    static let armorHeaderLine = "-----BEGIN SSH SIGNATURE-----\n"

    /// Splits the plain form at the first line that is the armor header. The armor must be
    /// canonical (70-column lines, LF, nothing after the footer line).
    public init(plainForm text: String) throws {
        let bad = { (why: String) in ApprovalRejection(.plainFormMalformed, why) }
        guard text.utf8.count <= ApprovalLimits.transportBytes else {
            throw ApprovalRejection(.transportOversize, "the approval text is longer than \(ApprovalLimits.transportBytes) bytes")
        }
        guard let header = text.range(of: "\n" + Self.armorHeaderLine) else {
            throw bad("no line \"-----BEGIN SSH SIGNATURE-----\" follows the statement")
        }
        let statement = text[..<header.lowerBound] + "\n"
        let armor = String(text[text.index(after: header.lowerBound)...])
        let signature: SSHSignature
        do {
            signature = try SSHSignature(armored: armor)
        } catch {
            throw bad("the armored signature is malformed: \(error)")
        }
        guard signature.armored == armor else {
            throw bad("the armored signature is not in canonical form (70-column lines, LF, nothing after the end line)")
        }
        self.init(statementBytes: Array(statement.utf8), signatureBlob: signature.sshWireEncoded)
    }

    /// The plain form of this value; throws when the signature blob does not parse.
    public func plainForm() throws -> String {
        let signature = try ApprovalVerifier.parseSignature(signatureBlob)
        return String(decoding: statementBytes, as: UTF8.self) + signature.armored
    }
}
