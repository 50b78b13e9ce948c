import Foundation
import GitLab

/// Which offered credentials `ciauth verify` would accept: registered on the approver's profile on
/// this server (`GET /users/:id/keys`, one read), for signing, not expired, old enough for the
/// policy's `min_key_age`. The rules are the verifier's own (`KeyRegistry.entry`), so a key the
/// user revoked is never offered to the touch.
struct ApprovePrecheckKeys {
    let gitlab: GitLabClient
    let approver: ApproveApprover

    struct Verdict {
        let usable: [EnrolledCredential]
        let refused: [(credential: EnrolledCredential, rejection: ApprovalRejection)]
    }

    /// The usable credentials; throws a refusal naming the reason when there is none.
    func usable(_ credentials: [EnrolledCredential], minimumKeyAge: Int64, now: Date, server: String) async throws -> Verdict {
        let keys = try await gitlab.keys(ofUser: String(approver.id), authenticated: true)
        let registry = KeyRegistry(gitlabKeys: keys, owner: approver.username, ownerID: approver.id)
        var usable: [EnrolledCredential] = []
        var refused: [(credential: EnrolledCredential, rejection: ApprovalRejection)] = []
        for credential in credentials {
            do {
                _ = try registry.entry(
                    for: approver.username, id: approver.id, key: credential.publicKey, now: now, minimumKeyAge: minimumKeyAge)
                usable.append(credential)
            } catch let rejection as ApprovalRejection {
                refused.append((credential, rejection))
            }
        }
        guard let first = refused.first, usable.isEmpty else { return Verdict(usable: usable, refused: refused) }
        let lines = refused.map { "\($0.credential.fingerprint): \($0.rejection.explanation)" }.joined(separator: "; ")
        throw ApproveError.refused(
            first.rejection.reason.rawValue,
            "no enrolled key can sign an approval that `ciauth verify` would accept on \(server) (\(lines)); "
                + Self.remedy(first.rejection.reason, minimumKeyAge: minimumKeyAge) + ". Nothing was signed")
    }

    static func remedy(_ reason: ApprovalRejection.Reason, minimumKeyAge: Int64) -> String {
        switch reason {
        case .keyTooNew:
            "the project's .ciauth.yml asks for keys registered at least \(DurationText.describe(minimumKeyAge)) ago: approve later, or with an older key"
        case .keyExpired:
            "enroll a new key with `ciauth enroll`"
        case .keyNotForSigning:
            "the key is registered for authentication only: remove it from your GitLab profile and run `ciauth enroll --import FILE` to register it for signing"
        default:
            "the key is not on your GitLab profile (revoked or deleted): run `ciauth enroll` for a new key, or `ciauth enroll --import FILE` to register this one again"
        }
    }

    /// A note naming the credentials left out, nil when none was.
    static func note(_ verdict: Verdict) -> String? {
        guard !verdict.refused.isEmpty else { return nil }
        let lines = verdict.refused.map { "\($0.credential.fingerprint) (\($0.rejection.reason.rawValue))" }.joined(separator: ", ")
        return "Not offering enrolled key(s) \(lines): `ciauth verify` would refuse their signature."
    }
}
