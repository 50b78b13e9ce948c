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

    /// `environment` only words the remedies (a variable never decides a pin).
    init(flags: VerifyRequest.Flags, file: RepositoryPolicy?, environment: [String: String] = [:]) throws(VerifyFailure) {
        let file = file ?? RepositoryPolicy()
        // Only the command line pins the server: the job token goes there before anything else is
        // known, and the policy file is read from the commit that server names.
        guard let pinned = flags.server.flatMap({ $0.isEmpty ? nil : $0 }) else {
            throw VerifyFailure(
                "pin-missing", nil, "no GitLab server is pinned",
                remedy: "add `--server https://HOST` with a literal value to the verify command (component input server)")
        }
        do {
            server = try ConfiguredServer.canonical(pinned)
            gitlabServer = try GitLabServer(server)
        } catch {
            throw .configuration("the pinned server \(pinned) is not usable: \(error)", remedy: "pin https://host[:port][/path]")
        }
        // An empty literal (a component input left empty) means "no pin".
        pins = ApprovalPins(
            server: server, jobName: flags.jobName.flatMap { $0.isEmpty ? nil : $0 },
            environment: flags.environment.flatMap { $0.isEmpty ? nil : $0 })
        if let project = (flags.project.flatMap { $0.isEmpty ? nil : $0 }) ?? file.project {
            if let id = Int(project), id > 0 { pins.projectID = id } else { pins.projectPath = project }
        }
        try Self.requirePins(pins, environment: environment)
        approvalVariable = flags.approvalVariable ?? file.approvalVariable ?? ApprovalTransport.defaultVariableName
        guard Self.isVariableName(approvalVariable) else {
            throw .configuration("\(approvalVariable) is not a CI variable name", remedy: "use letters, digits and _")
        }
        allowedSignersPath = flags.allowedSignersFile
        // Approver rules on the command line replace the file's as a whole: a file can never widen them.
        if flags.approvers.isEmpty, flags.approverGroups.isEmpty {
            approvers = file.approvers
            groupRules = file.approverGroups
        } else {
            approvers = flags.approvers.isEmpty ? nil : flags.approvers
            groupRules = []
            for text in flags.approverGroups { groupRules.append(try Self.groupRule(text)) }
        }
        if let invalid = approvers?.first(where: { !ApproverList.isValid($0) }) {
            throw .configuration(
                "the approver \(ApprovalStatement.quoted(invalid)) is not a GitLab username, optionally with #USER_ID",
                remedy: "write approvers as alice or alice#42 (the user id pins the person through renames)")
        }
        readTokenVariable = flags.readTokenVariable.flatMap { $0.isEmpty ? nil : $0 } ?? file.readTokenVariable
        if let name = readTokenVariable, !Self.isVariableName(name) {
            throw .configuration("\(name) is not a CI variable name (--read-token-variable)", remedy: "use letters, digits and _")
        }
        approverMustBePlayer = flags.approverMustBePlayer ?? CommittedPolicy(file).approverMustBePlayer
        policy = try Self.policy(flags: flags, file: file, approversChecked: ApproverRules(approvers: approvers, groupRules: groupRules).listDecidingAlone)
    }

    /// The approver list and group rules in force (the flags' or else the file's).
    var approverRules: ApproverRules { ApproverRules(approvers: approvers, groupRules: groupRules) }

    /// The project and the gated job must be pinned, like the server: without a project pin a
    /// fork's job token stands in for this project's job, and without a job name or environment
    /// pin any job of the pipeline can carry another job's approval (docs/threat-model.md).
    static func requirePins(_ pins: ApprovalPins, environment: [String: String]) throws(VerifyFailure) {
        if pins.projectID == nil, pins.projectPath == nil {
            let path = suggestion(environment["CI_PROJECT_PATH"], valid: { (try? ApprovalFieldRules.projectPath($0)) != nil })
            throw VerifyFailure(
                "pin-missing", nil, "no project is pinned: any project's job token could stand in for this job",
                remedy: "add `project: \(path ?? "GROUP/PROJECT")` (or the numeric project id) to .ciauth.yml, "
                    + "or `--project \(path ?? "GROUP/PROJECT")` with a literal value to the verify command")
        }
        if pins.jobName == nil, pins.environment == nil {
            let name = suggestion(environment["CI_JOB_NAME"], valid: { (try? ApprovalFieldRules.jobName($0)) != nil })
            throw VerifyFailure(
                "pin-missing", nil,
                "neither the job name nor the environment is pinned: any job of the pipeline could use another job's approval",
                remedy: "add `--job-name \(name ?? "NAME")` or `--environment NAME` "
                    + "with a literal value to the verify command (component inputs job_name and environment)")
        }
    }

    /// A variable's value, only to word a remedy, and only when it is a plausible literal.
    private static func suggestion(_ value: String?, valid: (String) -> Bool) -> String? {
        guard let value, value.count <= 100, value.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }), valid(value)
        else { return nil }
        return value
    }

    private static func policy(
        flags: VerifyRequest.Flags, file: RepositoryPolicy, approversChecked: Set<String>?
    ) throws(VerifyFailure) -> ApprovalPolicy {
        // The file's policy with its defaults (the one approve checks against), then the flags over it.
        var policy = CommittedPolicy(file).policy
        if let required = flags.requireUserVerification { policy.requireUserVerification = required }
        if let allowed = flags.allowSelfApproval { policy.allowSelfApproval = allowed }
        policy.allowedApprovers = approversChecked
        if let text = flags.maximumAge { policy.maximumAge = try duration(text, flag: "--max-age") }
        if let text = flags.minimumKeyAge { policy.minimumKeyAge = try duration(text, flag: "--min-key-age") }
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
