import Foundation

/// The claims of a verified ID token that the gate uses (docs/gate.md, "Claims"). GitLab sends
/// ids and booleans as JSON strings (`"job_id": "302"`, `"ref_protected": "true"`); a number or
/// a JSON boolean where GitLab sends a string is refused, not converted.
public struct GateClaims: Hashable, Sendable {
    public var issuer: String
    public var audiences: [String]
    public var expiresAt: Int64
    public var notBefore: Int64?
    public var issuedAt: Int64
    public var projectID: Int
    public var projectPath: String
    /// In fork merge-request pipelines GitLab names the fork in `project_*` and the project the
    /// pipeline runs in here; nil otherwise.
    public var jobProjectID: Int?
    public var jobProjectPath: String?
    public var pipelineID: Int
    public var pipelineSource: String
    public var jobID: Int
    public var ref: String
    public var refType: String
    public var refProtected: Bool
    public var sha: String
    public var environment: String?
    public var environmentProtected: Bool?
    public var userID: Int
    public var userLogin: String
    /// Nil when the configuration lives in another project (GitLab sends null).
    public var ciConfigRefURI: String?
    public var ciConfigSHA: String?

    init(_ claims: [String: GateJSON]) throws(GateFailure) {
        issuer = try Self.string(claims, "iss")
        switch claims["aud"] {
        case .string(let single): audiences = [single]
        case .array(let items):
            audiences = []
            for item in items {
                guard let text = item.string else { throw Self.invalid("aud", "a string or an array of strings") }
                audiences.append(text)
            }
        case nil: throw GateFailure(.tokenAudienceMismatch, "the ID token names no audience (aud)")
        default: throw Self.invalid("aud", "a string or an array of strings")
        }
        expiresAt = try Self.time(claims, "exp")
        issuedAt = try Self.time(claims, "iat")
        notBefore = claims["nbf"] == nil ? nil : try Self.time(claims, "nbf")
        projectID = try Self.id(claims, "project_id")
        projectPath = try Self.string(claims, "project_path")
        jobProjectID = claims["job_project_id"] == nil ? nil : try Self.id(claims, "job_project_id")
        jobProjectPath = claims["job_project_path"] == nil ? nil : try Self.string(claims, "job_project_path")
        pipelineID = try Self.id(claims, "pipeline_id")
        pipelineSource = try Self.string(claims, "pipeline_source")
        jobID = try Self.id(claims, "job_id")
        ref = try Self.string(claims, "ref")
        refType = try Self.string(claims, "ref_type")
        refProtected = try Self.flag(claims, "ref_protected")
        sha = try Self.string(claims, "sha")
        environment = claims["environment"] == nil ? nil : try Self.string(claims, "environment")
        environmentProtected = claims["environment_protected"] == nil ? nil : try Self.flag(claims, "environment_protected")
        userID = try Self.id(claims, "user_id")
        userLogin = try Self.string(claims, "user_login")
        ciConfigRefURI = claims["ci_config_ref_uri"] == .null ? nil : try Self.string(claims, "ci_config_ref_uri")
        ciConfigSHA = claims["ci_config_sha"] == .null || claims["ci_config_sha"] == nil ? nil : try Self.string(claims, "ci_config_sha")
    }

    /// The project the job runs in: `job_project_*` in fork merge-request pipelines, else `project_*`.
    public var runningProjectID: Int { jobProjectID ?? projectID }
    public var runningProjectPath: String { jobProjectPath ?? projectPath }

    /// The `ref_path` GitLab's `ci_config_ref_uri` ends with: `refs/heads/main`, `refs/tags/v1`.
    public var refPath: String { (refType == "tag" ? "refs/tags/" : "refs/heads/") + ref }

    /// The verified claims for the audit record and the command's environment (never the token).
    public var summary: [String: String] {
        var out: [String: String] = [
            "iss": issuer, "aud": audiences.joined(separator: " "), "exp": String(expiresAt), "iat": String(issuedAt),
            "project_id": String(projectID), "project_path": projectPath, "pipeline_id": String(pipelineID),
            "pipeline_source": pipelineSource, "job_id": String(jobID), "ref": ref, "ref_type": refType,
            "ref_protected": String(refProtected), "sha": sha, "user_id": String(userID), "user_login": userLogin,
        ]
        out["nbf"] = notBefore.map(String.init)
        out["job_project_id"] = jobProjectID.map(String.init)
        out["job_project_path"] = jobProjectPath
        out["environment"] = environment
        out["environment_protected"] = environmentProtected.map(String.init)
        out["ci_config_ref_uri"] = ciConfigRefURI
        out["ci_config_sha"] = ciConfigSHA
        return out
    }

    private static func invalid(_ name: String, _ expected: String) -> GateFailure {
        GateFailure(.tokenClaimInvalid, "the ID token's claim \(name) is missing or not \(expected)")
    }

    private static func string(_ claims: [String: GateJSON], _ name: String) throws(GateFailure) -> String {
        guard let text = claims[name]?.string, !text.isEmpty, text.utf8.count <= 1024,
            text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F })
        else { throw invalid(name, "a non-empty string") }
        return text
    }

    /// A GitLab id: a JSON string of decimal digits, 1 or more, no leading zero.
    private static func id(_ claims: [String: GateJSON], _ name: String) throws(GateFailure) -> Int {
        guard let text = claims[name]?.string, let value = try? ApprovalFieldRules.number(Substring(text), field: name) else {
            throw invalid(name, "an id written as a JSON string of digits")
        }
        return value
    }

    private static func flag(_ claims: [String: GateJSON], _ name: String) throws(GateFailure) -> Bool {
        switch claims[name]?.string {
        case "true": return true
        case "false": return false
        default: throw invalid(name, "the string \"true\" or \"false\"")
        }
    }

    private static func time(_ claims: [String: GateJSON], _ name: String) throws(GateFailure) -> Int64 {
        guard let value = claims[name]?.integer, value >= 0 else { throw invalid(name, "a whole number of seconds") }
        return value
    }
}
