import Foundation

extension ApprovalStatement {
    /// Default validity of a new approval: long enough for a runner to pick the job up.
    public static let defaultValiditySeconds: Int64 = 3600

    /// A new statement issued at `now` (truncated to the second), expiring `validitySeconds`
    /// later, with a fresh random nonce. The server URL is normalised first.
    public static func issue(
        server: String, projectID: Int, projectPath: String, pipelineID: Int, jobs: [Job], ref: String,
        commitSHA: String, approver: String, approverID: Int, reason: String? = nil, now: Date,
        validitySeconds: Int64 = defaultValiditySeconds
    ) throws -> ApprovalStatement {
        guard (1...ApprovalLimits.validitySeconds).contains(validitySeconds) else {
            throw ApprovalRejection(.invalidValidityPeriod, "validity must be 1 s to \(ApprovalLimits.validitySeconds / 86_400) days")
        }
        guard let issuedAt = ApprovalTimestamp(now),
            let expiresAt = ApprovalTimestamp(secondsSinceEpoch: issuedAt.secondsSinceEpoch + validitySeconds)
        else { throw ApprovalRejection(.invalidTimestamp, "the current time is outside 1970–9999") }
        var generator = SystemRandomNumberGenerator()  // the platform's CSPRNG (getrandom, arc4random)
        let nonce = (0..<ApprovalLimits.nonceBytes).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return try ApprovalStatement(
            server: try canonicalServerURL(server), projectID: projectID, projectPath: projectPath, pipelineID: pipelineID,
            jobs: jobs, ref: ref, commitSHA: commitSHA, approver: approver, approverID: approverID, issuedAt: issuedAt,
            expiresAt: expiresAt, nonce: nonce, reason: reason)
    }
}
