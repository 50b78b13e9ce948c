import Foundation

/// An OpenSSH allowed_signers file restricted to security keys. Lines with other key types or
/// `cert-authority` are kept out of `entries` and listed in `skippedLines` with the reason, so they
/// can never authorize anything; any other malformed line makes the whole file invalid.
public struct AllowedSigners: Hashable, Sendable {
    public struct SkippedLine: Hashable, Sendable {
        public let lineNumber: Int
        public let reason: SSHSigError
    }

    /// Why a key is not allowed to sign for a principal.
    public enum Denial: Hashable, Sendable, CustomStringConvertible {
        case keyNotListed
        case principalNotAllowed(String)
        case namespaceNotAllowed(String)
        case notYetValid(SSHTimestamp)
        case expired(SSHTimestamp)

        public var description: String {
            switch self {
            case .keyNotListed: "key is not in allowed_signers"
            case .principalNotAllowed(let principal): "key is not allowed to sign as \"\(principal)\""
            case .namespaceNotAllowed(let namespace): "key is not allowed to sign in namespace \"\(namespace)\""
            case .notYetValid(let time): "key is not valid before \(time)"
            case .expired(let time): "key expired at \(time)"
            }
        }
    }

    public var entries: [AllowedSignersEntry]
    public private(set) var skippedLines: [SkippedLine] = []

    public init(entries: [AllowedSignersEntry]) {
        self.entries = entries
    }

    public init(parsing text: String) throws(SSHSigError) {
        entries = []
        // "\r\n" is one Character in Swift, so CRLF files need their own separator.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        for (index, line) in lines.enumerated() {
            do throws(SSHSigError) {
                if let entry = try AllowedSignersLineParser.parse(line) { entries.append(entry) }
            } catch {
                switch error {
                case .notSecurityKey, .unsupportedKeyType, .certAuthorityUnsupported:
                    skippedLines.append(SkippedLine(lineNumber: index + 1, reason: error))
                default:
                    throw .inAllowedSignersLine(index + 1, error)
                }
            }
        }
    }

    /// One line per entry, newline-terminated.
    public var serialized: String {
        entries.map { $0.line + "\n" }.joined()
    }

    public func entries(for key: SKPublicKey) -> [AllowedSignersEntry] {
        entries.filter { $0.publicKey == key }
    }

    public func entries(matchingPrincipal principal: String) -> [AllowedSignersEntry] {
        entries.filter { $0.matches(principal: principal) }
    }

    /// `ssh-keygen -Y verify`'s authorization step: some line lists this key, matches the principal,
    /// allows the namespace and is valid at `date`. Returns that line, or the most specific denial.
    public func authorize(key: SKPublicKey, principal: String, namespace: String, at date: Date, localTimeZone: TimeZone = .current) -> Result<AllowedSignersEntry, Denial> {
        let candidates = entries(for: key)
        guard !candidates.isEmpty else { return .failure(.keyNotListed) }
        let forPrincipal = candidates.filter { $0.matches(principal: principal) }
        guard !forPrincipal.isEmpty else { return .failure(.principalNotAllowed(principal)) }
        let forNamespace = forPrincipal.filter { $0.allows(namespace: namespace) }
        guard !forNamespace.isEmpty else { return .failure(.namespaceNotAllowed(namespace)) }
        var firstDenial: Denial?
        for entry in forNamespace {
            guard let denial = entry.validity(at: date, localTimeZone: localTimeZone) else { return .success(entry) }
            firstDenial = firstDenial ?? denial
        }
        return .failure(firstDenial ?? .keyNotListed)
    }

    /// `ssh-keygen -Y find-principals`: principal patterns of valid lines listing this key.
    public func principals(for key: SKPublicKey, at date: Date, localTimeZone: TimeZone = .current) -> [String] {
        entries(for: key).filter { $0.validity(at: date, localTimeZone: localTimeZone) == nil }.map(\.principals)
    }
}

extension AllowedSigners.Denial: Error {}
