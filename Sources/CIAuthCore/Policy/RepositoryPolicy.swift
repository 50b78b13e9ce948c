import Foundation
import Yams

/// The verification policy committed in the repository as `.ciauth.yml`.
///
/// It lives in the pipeline definition's side of the trust boundary: job variables cannot change
/// it. Parsing is strict: an unknown key, a wrong type or a malformed duration is an error, never
/// silently ignored, because a typo in a security policy must not weaken it.
///
/// ```yaml
/// server: https://gitlab.example.com
/// project: acme/api
/// approval_variable: CIAUTH_APPROVAL
/// approvers: [alice, bob]
/// approver_groups:
///   - group: acme/release
///     min_access: maintainer
/// require_uv: true
/// max_age: 1h
/// min_key_age: 24h
/// allow_self_approval: false
/// read_token_variable: CIAUTH_READ_TOKEN
/// approver_must_be_player: false
/// ```
public struct RepositoryPolicy: Equatable, Sendable {
    public struct GroupRule: Equatable, Sendable {
        public var group: String
        public var minimumAccess: AccessLevel
    }

    public var server: String?
    public var project: String?
    public var approvalVariable: String?
    public var approvers: [String]?
    public var approverGroups: [GroupRule] = []
    public var requireUserVerification: Bool?
    public var maximumAge: Int64?
    public var minimumKeyAge: Int64?
    public var allowSelfApproval: Bool?
    public var approverMustBePlayer: Bool?
    /// Name of the CI/CD variable holding a read-only token (not the token itself).
    public var readTokenVariable: String?

    public static let fileName = ".ciauth.yml"

    public init() {}

    /// Parses the file's text.
    public init(yaml text: String) throws(RepositoryPolicyError) {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { return }
            root = node
        } catch {
            throw .syntax(String(describing: error))
        }
        guard let mapping = root.mapping else { throw .notAMapping("the file") }
        for (keyNode, value) in mapping {
            guard let key = keyNode.string else { throw .notAMapping("the file") }
            try apply(key: key, value: value)
        }
    }

    /// Reads `.ciauth.yml` from a directory; nil when there is none.
    public static func load(fromDirectory directory: URL) throws(RepositoryPolicyError) -> RepositoryPolicy? {
        let url = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        guard let data = FileManager.default.contents(atPath: url.path), data.count <= 64 * 1024 else {
            throw .unreadable(url.path)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw .unreadable(url.path) }
        return try RepositoryPolicy(yaml: text)
    }

    private mutating func apply(key: String, value: Node) throws(RepositoryPolicyError) {
        switch key {
        case "server": server = try Self.string(value, key)
        case "project": project = try Self.string(value, key)
        case "approval_variable": approvalVariable = try Self.string(value, key)
        case "approvers": approvers = try Self.strings(value, key)
        case "approver_groups": approverGroups = try Self.groupRules(value)
        case "require_uv": requireUserVerification = try Self.bool(value, key)
        case "max_age": maximumAge = try Self.duration(value, key)
        case "min_key_age": minimumKeyAge = try Self.duration(value, key)
        case "allow_self_approval": allowSelfApproval = try Self.bool(value, key)
        case "approver_must_be_player": approverMustBePlayer = try Self.bool(value, key)
        case "read_token_variable": readTokenVariable = try Self.string(value, key)
        default: throw .unknownKey(key)
        }
    }

    // The strict scalar readers below are shared with the gate's policy file (Gate/GatePolicy.swift).
    static func string(_ node: Node, _ key: String) throws(RepositoryPolicyError) -> String {
        guard let scalar = node.scalar, scalar.style == .plain || scalar.style == .singleQuoted || scalar.style == .doubleQuoted,
              !scalar.string.isEmpty else {
            throw .wrongType(key, "a string")
        }
        return scalar.string
    }

    static func strings(_ node: Node, _ key: String) throws(RepositoryPolicyError) -> [String] {
        guard let sequence = node.sequence else { throw .wrongType(key, "a list of strings") }
        var result: [String] = []
        for item in sequence { result.append(try string(item, key)) }
        return result
    }

    static func bool(_ node: Node, _ key: String) throws(RepositoryPolicyError) -> Bool {
        switch node.scalar?.string {
        case "true": return true
        case "false": return false
        default: throw .wrongType(key, "true or false")
        }
    }

    static func duration(_ node: Node, _ key: String) throws(RepositoryPolicyError) -> Int64 {
        let text = try string(node, key)
        guard let seconds = DurationText.positiveSeconds(text) else { throw .badDuration(key, text) }
        return seconds
    }

    static func groupRules(_ node: Node) throws(RepositoryPolicyError) -> [GroupRule] {
        guard let sequence = node.sequence else { throw .wrongType("approver_groups", "a list") }
        var rules: [GroupRule] = []
        for item in sequence {
            guard let mapping = item.mapping else { throw .wrongType("approver_groups", "a list of {group, min_access}") }
            var group: String?
            var access = AccessLevel.developer
            for (keyNode, value) in mapping {
                switch keyNode.string {
                case "group": group = try string(value, "approver_groups.group")
                case "min_access":
                    let name = try string(value, "approver_groups.min_access")
                    guard let level = AccessLevel(name: name) else { throw .badAccessLevel(name) }
                    access = level
                default: throw .unknownKey("approver_groups." + (keyNode.string ?? "?"))
                }
            }
            guard let group else { throw .wrongType("approver_groups", "entries with a group") }
            rules.append(GroupRule(group: group, minimumAccess: access))
        }
        return rules
    }
}

/// GitLab's member access levels, by the names users write.
public enum AccessLevel: Int, CaseIterable, Comparable, Sendable {
    case guest = 10
    case reporter = 20
    case developer = 30
    case maintainer = 40
    case owner = 50

    public init?(name: String) {
        guard let level = Self.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = level
    }

    public var name: String {
        switch self {
        case .guest: "guest"
        case .reporter: "reporter"
        case .developer: "developer"
        case .maintainer: "maintainer"
        case .owner: "owner"
        }
    }

    public static func < (lhs: AccessLevel, rhs: AccessLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

public enum RepositoryPolicyError: Error, Equatable, CustomStringConvertible {
    case syntax(String)
    case unreadable(String)
    case notAMapping(String)
    case unknownKey(String)
    case wrongType(String, String)
    case badDuration(String, String)
    case badAccessLevel(String)

    public var description: String {
        switch self {
        case .syntax(let detail): ".ciauth.yml is not valid YAML: \(detail)"
        case .unreadable(let path): "cannot read \(path) as UTF-8 text of at most 64 KiB"
        case .notAMapping(let what): ".ciauth.yml: \(what) must be a mapping of keys to values"
        case .unknownKey(let key): ".ciauth.yml: unknown key '\(key)' (a misspelt policy must not be ignored)"
        case .wrongType(let key, let expected): ".ciauth.yml: '\(key)' must be \(expected)"
        case .badDuration(let key, let text): ".ciauth.yml: '\(key)' is '\(text)'; write a duration such as \(DurationText.examples)"
        case .badAccessLevel(let name): ".ciauth.yml: min_access '\(name)' is not one of guest, reporter, developer, maintainer, owner"
        }
    }
}
