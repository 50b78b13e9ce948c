/// The approval as carried in ONE CI variable (docs/protocol.md, "Transport"):
///
///     ciauth1:<base64url(statement bytes)>.<base64url(SSHSIG signature blob)>
///
/// base64url without padding, decoded strictly. The value holds only `A–Z a–z 0–9 - _ : .`: no
/// space, newline, quote or `$`, so GitLab's variable expansion, YAML and shells pass it through
/// unchanged. This type only splits and joins; the parts are checked by the statement parser and
/// the signature verifier.
public struct ApprovalTransport: Hashable, Sendable {
    public static let prefix = "ciauth1:"
    /// The CI variable that carries the approval unless configured otherwise.
    public static let defaultVariableName = "CIAUTH_APPROVAL"

    public let statementBytes: [UInt8]
    public let signatureBlob: [UInt8]

    public init(statementBytes: [UInt8], signatureBlob: [UInt8]) {
        self.statementBytes = statementBytes
        self.signatureBlob = signatureBlob
    }

    public var encoded: String {
        Self.prefix + ApprovalBase64URL.encode(statementBytes) + "." + ApprovalBase64URL.encode(signatureBlob)
    }

    /// Strict decoding; each failure throws a named `ApprovalRejection`.
    public init(decoding value: String) throws {
        let utf8 = value.utf8
        guard !utf8.isEmpty else {
            throw ApprovalRejection(.missingApproval, "no approval was supplied (the variable is empty)")
        }
        guard utf8.count <= ApprovalLimits.transportBytes else {
            throw ApprovalRejection(
                .transportOversize, "the approval value is longer than \(ApprovalLimits.transportBytes) bytes")
        }
        guard value.hasPrefix(Self.prefix) else { throw Self.prefixRejection(value) }
        let parts = value.dropFirst(Self.prefix.count).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw ApprovalRejection(
                .transportBadStructure, "expected \(Self.prefix)<statement>.<signature> with exactly one dot")
        }
        guard let statement = ApprovalBase64URL.decode(parts[0]) else {
            throw ApprovalRejection(.transportBadBase64, "the statement part is not canonical unpadded base64url")
        }
        guard let signature = ApprovalBase64URL.decode(parts[1]) else {
            throw ApprovalRejection(.transportBadBase64, "the signature part is not canonical unpadded base64url")
        }
        guard statement.count <= ApprovalLimits.statementBytes else {
            throw ApprovalRejection(.statementOversize, "the statement is longer than \(ApprovalLimits.statementBytes) bytes")
        }
        guard signature.count <= ApprovalLimits.signatureBytes else {
            throw ApprovalRejection(
                .transportOversize, "the signature is longer than \(ApprovalLimits.signatureBytes) bytes")
        }
        self.init(statementBytes: statement, signatureBlob: signature)
    }

    /// Says what was found instead of the prefix, without echoing the value itself.
    private static func prefixRejection(_ value: String) -> ApprovalRejection {
        if value.hasPrefix(ApprovalStatement.versionLine) || value.hasPrefix("-----BEGIN SSH SIGNATURE-----") {
            return ApprovalRejection(
                .transportBadPrefix, "this is the printable (plain) form; the variable needs the \(prefix) form")
        }
        if value.hasPrefix("ciauth") {
            return ApprovalRejection(
                .transportBadPrefix, "unsupported approval format version; this ciauth understands \(prefix)")
        }
        return ApprovalRejection(.transportBadPrefix, "the approval value does not start with \(prefix)")
    }
}
