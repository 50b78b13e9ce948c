import Foundation

/// One line of an OpenSSH allowed_signers file (ssh-keygen(1) ALLOWED SIGNERS):
/// `principals [options] keytype base64 [comment]`.
public struct AllowedSignersEntry: Hashable, Sendable {
    /// Comma-separated principal patterns (`*`, `?`, `!`), as written.
    public var principals: String
    /// `namespaces="..."` pattern list, or nil when the key may sign in any namespace.
    public var namespaces: String?
    public var validAfter: SSHTimestamp?
    public var validBefore: SSHTimestamp?
    public var publicKey: SKPublicKey
    public var comment: String?

    public init(principals: String, namespaces: String? = nil, validAfter: SSHTimestamp? = nil, validBefore: SSHTimestamp? = nil, publicKey: SKPublicKey, comment: String? = nil) throws(SSHSigError) {
        guard !principals.isEmpty else { throw .missingPrincipals }
        guard SSHText.isPrintable(principals), !principals.contains("\"") else { throw .invalidText(field: "principals") }
        if let namespaces {
            guard !namespaces.isEmpty else { throw .emptyOptionValue("namespaces") }
            guard SSHText.isPrintable(namespaces), !namespaces.contains(where: { $0 == "\"" || $0 == "\\" }) else {
                throw .invalidText(field: "namespaces")
            }
        }
        if let validAfter, let validBefore, validBefore.date() <= validAfter.date() { throw .invalidValidityInterval }
        if let comment, !SSHText.isPrintable(comment) { throw .invalidText(field: "comment") }
        self.principals = principals
        self.namespaces = namespaces
        self.validAfter = validAfter
        self.validBefore = validBefore
        self.publicKey = publicKey
        self.comment = comment
    }

    /// Whether `principal` matches the principal patterns (`match_pattern_list(...) == 1`).
    public func matches(principal: String) -> Bool {
        PatternList.matches(principal, list: principals)
    }

    /// Whether a signature in `namespace` is allowed (no `namespaces=` option allows all).
    public func allows(namespace: String) -> Bool {
        guard let namespaces else { return true }
        return PatternList.matches(namespace, list: namespaces)
    }

    /// OpenSSH's check: not valid before `valid-after`, not valid after `valid-before` (inclusive
    /// bounds, whole seconds).
    public func validity(at date: Date, localTimeZone: TimeZone = .current) -> AllowedSigners.Denial? {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        if let validAfter, seconds < validAfter.date(localTimeZone: localTimeZone).timeIntervalSince1970 {
            return .notYetValid(validAfter)
        }
        if let validBefore, seconds > validBefore.date(localTimeZone: localTimeZone).timeIntervalSince1970 {
            return .expired(validBefore)
        }
        return nil
    }

    /// The line as it would appear in an allowed_signers file.
    public var line: String {
        let needsQuotes = principals.hasPrefix("#") || principals.contains(where: { $0 == " " || $0 == "\t" })
        var fields = [needsQuotes ? "\"\(principals)\"" : principals]
        let options = [
            namespaces.map { "namespaces=\"\($0)\"" },
            validAfter.map { "valid-after=\"\($0.text)\"" },
            validBefore.map { "valid-before=\"\($0.text)\"" },
        ].compactMap { $0 }
        if !options.isEmpty { fields.append(options.joined(separator: ",")) }
        fields.append(publicKey.authorizedKeysLine(comment: comment))
        return fields.joined(separator: " ")
    }
}
