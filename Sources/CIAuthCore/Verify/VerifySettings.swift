import Foundation
import GitLab

/// The verification settings after merging flags over `.ciauth.yml` over defaults.
struct VerifySettings: Sendable {
    var server: String
    var gitlabServer: GitLabServer
    var pins: ApprovalPins
    var approvalVariable: String
    var allowedSignersPath: String?
    var approvers: [String]?
    var groupRules: [RepositoryPolicy.GroupRule]
    /// The CI variable holding a read-only token (`VerifyReadToken`).
    var readTokenVariable: String?
    var approverMustBePlayer: Bool
    var policy: ApprovalPolicy

    init(flags: VerifyRequest.Flags, file: RepositoryPolicy?) throws(VerifyFailure) {
        let file = file ?? RepositoryPolicy()
        guard let pinned = flags.server ?? file.server else {
            throw .configuration(
                "no GitLab server is pinned", remedy: "add --server URL to the verify command or server: to .ciauth.yml")
        }
        do {
            server = try ApprovalStatement.canonicalServerURL(pinned)
            gitlabServer = try GitLabServer(server)
        } catch {
            throw .configuration("the pinned server \(pinned) is not usable: \(error)", remedy: "pin https://host[:port][/path]")
        }
        // An empty literal (a component input left empty) means "no pin".
        pins = ApprovalPins(
            server: server, jobName: flags.jobName.flatMap { $0.isEmpty ? nil : $0 },
            environment: flags.environment.flatMap { $0.isEmpty ? nil : $0 })
        if let project = flags.project ?? file.project {
            if let id = Int(project), id > 0 { pins.projectID = id } else { pins.projectPath = project }
        }
        approvalVariable = flags.approvalVariable ?? file.approvalVariable ?? ApprovalTransport.defaultVariableName
        guard Self.isVariableName(approvalVariable) else {
            throw .configuration("\(approvalVariable) is not a CI variable name", remedy: "use letters, digits and _")
        }
        allowedSignersPath = flags.allowedSignersFile
        approvers = flags.approvers.isEmpty ? file.approvers : flags.approvers
        groupRules = file.approverGroups
        if !flags.approverGroups.isEmpty {
            groupRules = []
            for text in flags.approverGroups { groupRules.append(try Self.groupRule(text)) }
        }
        readTokenVariable = flags.readTokenVariable.flatMap { $0.isEmpty ? nil : $0 } ?? file.readTokenVariable
        if let name = readTokenVariable, !Self.isVariableName(name) {
            throw .configuration("\(name) is not a CI variable name (--read-token-variable)", remedy: "use letters, digits and _")
        }
        approverMustBePlayer = flags.approverMustBePlayer ?? file.approverMustBePlayer ?? true
        policy = try Self.policy(flags: flags, file: file, approversChecked: groupRules.isEmpty ? approvers : nil)
    }

    private static func policy(
        flags: VerifyRequest.Flags, file: RepositoryPolicy, approversChecked: [String]?
    ) throws(VerifyFailure) -> ApprovalPolicy {
        var policy = ApprovalPolicy.default
        policy.requireUserVerification = flags.requireUserVerification ?? file.requireUserVerification ?? false
        policy.allowSelfApproval = flags.allowSelfApproval ?? file.allowSelfApproval ?? true
        policy.allowedApprovers = approversChecked.map(Set.init)
        if let text = flags.maximumAge {
            policy.maximumAge = try duration(text, flag: "--max-age")
        } else if let seconds = file.maximumAge {
            policy.maximumAge = seconds
        }
        if let text = flags.minimumKeyAge {
            policy.minimumKeyAge = try duration(text, flag: "--min-key-age")
        } else if let seconds = file.minimumKeyAge {
            policy.minimumKeyAge = seconds
        }
        return policy
    }

    private static func duration(_ text: String, flag: String) throws(VerifyFailure) -> Int64 {
        guard let seconds = DurationText.positiveSeconds(text) else {
            throw .configuration("\(flag) \(text) is not a duration", remedy: "write a duration such as \(DurationText.examples)")
        }
        return seconds
    }

    /// `GROUP` or `GROUP:LEVEL`; the level defaults to developer, as in `.ciauth.yml`.
    static func groupRule(_ text: String) throws(VerifyFailure) -> RepositoryPolicy.GroupRule {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let group = parts.first, !group.isEmpty else {
            throw .configuration("--approver-group \(text) names no group", remedy: "write GROUP or GROUP:LEVEL")
        }
        guard parts.count == 2 else { return RepositoryPolicy.GroupRule(group: group, minimumAccess: .developer) }
        guard let level = AccessLevel(name: parts[1]) else {
            throw .configuration(
                "--approver-group \(text): unknown access level", remedy: "use guest, reporter, developer, maintainer or owner")
        }
        return RepositoryPolicy.GroupRule(group: group, minimumAccess: level)
    }

    static func isVariableName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 255
            && name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
    }
}
