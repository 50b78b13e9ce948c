/// The one error type of the key-lifecycle workflows (`keys`, `audit verify`): a named code,
/// what happened, and what to do about it.
public struct KeysError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable {
        case userNotFound = "user-not-found"
        case keyNotFound = "key-not-found"
        case invalidSelector = "invalid-selector"
        case invalidDuration = "invalid-duration"
        case invalidAccessLevel = "invalid-access-level"
        case unreadableAuditFile = "unreadable-audit-file"
        case unreadableAllowedSigners = "unreadable-allowed-signers"
        /// The person answered no to "Revoke N keys?".
        case declined
    }

    public let code: Code
    public let message: String
    public let hint: String?

    public init(_ code: Code, _ message: String, hint: String? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
    }

    public var description: String {
        guard let hint else { return "\(message) (\(code.rawValue))" }
        return "\(message) (\(code.rawValue)). \(hint)"
    }
}
