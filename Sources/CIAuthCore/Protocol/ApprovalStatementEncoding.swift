/// The one byte encoding of a statement (docs/protocol.md, "Encoding"): a version line, then one
/// `key: value` line per field in `ApprovalStatement.fieldOrder`, LF line ends, UTF-8, final LF.
extension ApprovalStatement {
    public static let versionLine = "ciauth-approval-v2"
    /// Earlier versions, refused by name: v1 named the approver by username alone.
    public static let retiredVersionLines = ["ciauth-approval-v1"]

    /// Field keys in their only allowed order. `job` and `environment` repeat (1 to 100 consecutive
    /// lines each, one `environment` line per job in the same order); every other key appears
    /// exactly once.
    public static let fieldOrder = [
        "server", "project-id", "project-path", "pipeline-id", "job", "ref", "commit", "environment",
        "approver", "approver-id", "issued-at", "expires-at", "nonce", "reason",
    ]

    /// The keys that repeat once per job.
    static let perJobFields: Set<String> = ["job", "environment"]

    /// The exact bytes that are hashed and signed.
    public var encoded: [UInt8] { Array(encodedText.utf8) }

    var encodedText: String {
        var lines = [Self.versionLine]
        for (key, value) in fields { lines.append(key + ": " + value) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The statement as ordered `(key, value)` pairs, values written canonically.
    var fields: [(String, String)] {
        var pairs: [(String, String)] = [
            ("server", server), ("project-id", String(projectID)), ("project-path", projectPath),
            ("pipeline-id", String(pipelineID)),
        ]
        pairs += jobs.map { ("job", String($0.id) + " " + $0.name) }
        pairs += [("ref", ref), ("commit", commitSHA)]
        pairs += jobs.map { ("environment", String($0.id) + " " + Self.text($0.environment)) }
        pairs += [
            ("approver", approver), ("approver-id", String(approverID)),
            ("issued-at", issuedAt.rfc3339), ("expires-at", expiresAt.rfc3339), ("nonce", Hex.encode(nonce)),
            ("reason", reason ?? ApprovalFieldRules.noneMarker),
        ]
        return pairs
    }

    static func text(_ environment: Environment) -> String {
        switch environment {
        case .none: return ApprovalFieldRules.noneMarker
        case .named(let name): return name
        }
    }
}
