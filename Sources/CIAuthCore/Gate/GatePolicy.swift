import Foundation
import Yams

/// The gate's own policy, `/etc/ciauth/gate.yml` on the target: the only configuration the gate
/// obeys (docs/gate.md, "Policy"). It lives where the pipeline cannot reach, and is parsed as
/// strictly as `.ciauth.yml`: an unknown key, a wrong type or a bad duration is an error.
public struct GatePolicy: Sendable {
    public static let defaultPath = "/etc/ciauth/gate.yml"

    /// Canonical server URL: where keys and approvers' profiles are read.
    public var server: String
    /// The `iss` every token must carry exactly (GitLab's ID-token issuer setting).
    public var issuer: String
    /// The `aud` this gate accepts.
    public var audience: String
    /// The name passes are counted under (default: the audience).
    public var gateName: String
    public var projectID: Int
    public var projectPath: String
    /// Environment names a job may deploy to through this gate.
    public var environments: [String]
    public var requireProtectedRef = true
    public var requireProtectedEnvironment = true
    /// Allowed `ci_config_ref_uri` patterns (`*` matches within one path segment); nil: this
    /// project's `.gitlab-ci.yml` at the job's own ref.
    public var ciConfigRefURIs: [String]?
    /// Allowed `pipeline_source` values; nil: any.
    public var pipelineSources: [String]?
    /// Fork merge-request pipelines (the token's `project_*` names a fork of the pinned project).
    public var allowForkPipelines = false
    public var allowedSignersPath: String?
    /// `approvers:` as listed; with group rules an approver passes by being listed or a member.
    public var approvers: [String]?
    /// `approver_groups:`, as in `.ciauth.yml`; checked with the read token.
    public var approverGroups: [RepositoryPolicy.GroupRule] = []
    /// The file holding the gate's own `read_api` token (group members, the pipeline's creator).
    public var readTokenPath: String?
    public var approval = ApprovalPolicy(approverMustBePlayer: true)
    /// Longest accepted `exp − iat`.
    public var maximumTokenLifetime: Int64 = 24 * 3600
    /// Tolerated clock difference for `exp`, `nbf` and `iat`.
    public var clockSkew: Int64 = 60
    /// Oldest cached key set used.
    public var keySetMaximumAge: Int64 = 3600
    /// Shortest time between two fetches for an unknown key id.
    public var keySetRefreshInterval: Int64 = 300
    public var keySetCachePath = "/var/lib/ciauth/gate-keys.json"
    public var passStorePath = "/var/lib/ciauth/gate-passes.sqlite"
    /// Passes per job; 0 means unlimited.
    public var passesPerJob = 1
    /// Appends one audit record per decision (JSON lines), when set.
    public var auditLogPath: String?

    public static func load(path: String) throws(GateFailure) -> GatePolicy {
        guard FileManager.default.fileExists(atPath: path) else {
            throw GateFailure(
                .configurationInvalid, "the gate policy \(path) does not exist: write it (docs/gate.md lists its keys) or name another with --policy")
        }
        guard let data = FileManager.default.contents(atPath: path), data.count <= 64 * 1024,
            let text = String(data: data, encoding: .utf8)
        else {
            throw GateFailure(.configurationInvalid, "cannot read the gate policy \(path) as UTF-8 text of at most 64 KiB")
        }
        return try GatePolicy(yaml: text, path: path)
    }

    public init(yaml text: String, path: String = GatePolicy.defaultPath) throws(GateFailure) {
        let mapping: Node.Mapping
        do {
            guard let root = try Yams.compose(yaml: text), let map = root.mapping else {
                throw GateFailure(.configurationInvalid, "\(path) must be a mapping of keys to values")
            }
            mapping = map
        } catch let failure as GateFailure {
            throw failure
        } catch {
            throw GateFailure(.configurationInvalid, "\(path) is not valid YAML: \(error)")
        }
        var values: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.string, values.updateValue(value, forKey: name) == nil else {
                throw GateFailure(.configurationInvalid, "\(path): a key is not a string or appears twice")
            }
        }
        do {
            try self.init(values, path: path)
        } catch {
            throw GateFailure(.configurationInvalid, String(describing: error).replacingOccurrences(of: ".ciauth.yml", with: path))
        }
    }

    private init(_ values: [String: Node], path: String) throws {
        let known: Set<String> = [
            "server", "issuer", "audience", "gate_name", "project", "project_id", "environments", "require_protected_ref",
            "require_protected_environment", "ci_config_ref_uris", "pipeline_sources", "allow_fork_pipelines",
            "allowed_signers", "approvers", "require_uv", "max_age", "min_key_age", "approver_must_be_player",
            "max_token_lifetime", "clock_skew", "keys_max_age", "keys_refresh_interval", "keys_cache", "pass_store",
            "passes_per_job", "audit_log", "approver_groups", "allow_self_approval", "read_token_file",
        ]
        if let unknown = values.keys.sorted().first(where: { !known.contains($0) }) {
            throw RepositoryPolicyError.unknownKey(unknown)
        }
        func required(_ key: String) throws -> Node {
            guard let node = values[key] else { throw GateFailure(.configurationInvalid, "\(path): \(key) is required") }
            return node
        }
        typealias R = RepositoryPolicy
        server = try Self.serverURL(try R.string(try required("server"), "server"), "server", path)
        issuer = try values["issuer"].map { try R.string($0, "issuer") } ?? server
        audience = try R.string(try required("audience"), "audience")
        gateName = try values["gate_name"].map { try R.string($0, "gate_name") } ?? audience
        projectPath = try R.string(try required("project"), "project")
        guard let id = try? ApprovalFieldRules.number(Substring(try R.string(try required("project_id"), "project_id")), field: "project_id")
        else { throw GateFailure(.configurationInvalid, "\(path): project_id must be the project's numeric id") }
        projectID = id
        environments = try R.strings(try required("environments"), "environments")
        guard !environments.isEmpty else { throw GateFailure(.configurationInvalid, "\(path): environments must name at least one") }
        if let node = values["require_protected_ref"] { requireProtectedRef = try R.bool(node, "require_protected_ref") }
        if let node = values["require_protected_environment"] {
            requireProtectedEnvironment = try R.bool(node, "require_protected_environment")
        }
        ciConfigRefURIs = try values["ci_config_ref_uris"].map { try R.strings($0, "ci_config_ref_uris") }
        pipelineSources = try values["pipeline_sources"].map { try R.strings($0, "pipeline_sources") }
        if let node = values["allow_fork_pipelines"] { allowForkPipelines = try R.bool(node, "allow_fork_pipelines") }
        allowedSignersPath = try values["allowed_signers"].map { try R.string($0, "allowed_signers") }
        if let node = values["approvers"] {
            let approvers = try R.strings(node, "approvers")
            if let invalid = approvers.first(where: { !ApproverList.isValid($0) }) {
                throw GateFailure(.configurationInvalid, "\(path): approver \(ApprovalStatement.quoted(invalid)) is not USERNAME or USERNAME#ID")
            }
            self.approvers = approvers
        }
        if let node = values["approver_groups"] { approverGroups = try R.groupRules(node) }
        // With group rules the verifier checks no list: a listed approver or a member passes (as verify).
        approval.allowedApprovers = approverGroups.isEmpty ? approvers.map(Set.init) : nil
        if let node = values["allow_self_approval"] { approval.allowSelfApproval = try R.bool(node, "allow_self_approval") }
        if let node = values["read_token_file"] {
            readTokenPath = try Self.absolute(try R.string(node, "read_token_file"), "read_token_file", path)
        }
        if needsReadToken, readTokenPath == nil {
            throw GateFailure(
                .configurationInvalid,
                "\(path): approver_groups and allow_self_approval: false need read_token_file: GitLab answers group members "
                    + "and a pipeline's creator only to a token (a read_api token in a file of mode 0600)")
        }
        if let node = values["require_uv"] { approval.requireUserVerification = try R.bool(node, "require_uv") }
        if let node = values["max_age"] { approval.maximumAge = try R.duration(node, "max_age") }
        if let node = values["min_key_age"] { approval.minimumKeyAge = try R.duration(node, "min_key_age") }
        if let node = values["approver_must_be_player"] { approval.approverMustBePlayer = try R.bool(node, "approver_must_be_player") }
        if let node = values["max_token_lifetime"] { maximumTokenLifetime = try R.duration(node, "max_token_lifetime") }
        if let node = values["clock_skew"] { clockSkew = try R.duration(node, "clock_skew") }
        if let node = values["keys_max_age"] { keySetMaximumAge = try R.duration(node, "keys_max_age") }
        if let node = values["keys_refresh_interval"] { keySetRefreshInterval = try R.duration(node, "keys_refresh_interval") }
        if let node = values["keys_cache"] { keySetCachePath = try Self.absolute(try R.string(node, "keys_cache"), "keys_cache", path) }
        if let node = values["pass_store"] { passStorePath = try Self.absolute(try R.string(node, "pass_store"), "pass_store", path) }
        if let node = values["passes_per_job"] {
            guard let count = Int(try R.string(node, "passes_per_job")), count >= 0, count <= 1000 else {
                throw GateFailure(.configurationInvalid, "\(path): passes_per_job must be 0 (unlimited) to 1000")
            }
            passesPerJob = count
        }
        if let node = values["audit_log"] { auditLogPath = try Self.absolute(try R.string(node, "audit_log"), "audit_log", path) }
        if let signers = allowedSignersPath { _ = try Self.absolute(signers, "allowed_signers", path) }
    }

    /// Whether a rule needs GitLab reads that only the gate's read token may make.
    public var needsReadToken: Bool { !approverGroups.isEmpty || !approval.allowSelfApproval }

    private static func serverURL(_ text: String, _ key: String, _ path: String) throws -> String {
        guard let canonical = try? ConfiguredServer.canonical(text) else {
            throw GateFailure(.configurationInvalid, "\(path): \(key) \(ApprovalStatement.quoted(text)) is not https://host[:port][/path]")
        }
        return canonical
    }

    private static func absolute(_ value: String, _ key: String, _ path: String) throws -> String {
        guard value.hasPrefix("/") else { throw GateFailure(.configurationInvalid, "\(path): \(key) must be an absolute path") }
        return value
    }
}
