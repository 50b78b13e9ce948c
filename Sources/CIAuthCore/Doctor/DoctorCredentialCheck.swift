import Foundation
import GitLab
import SSHSig

/// The local enrolled credentials against the security keys on the user's GitLab profile: verify
/// only accepts approvals signed with a key registered for signing and not expired.
public enum DoctorCredentialCheck {
    /// Warn when a registered key expires within this many days.
    public static let expiryWarningDays = 7

    public static func check(_ client: GitLabClient, store: CredentialStore?, username: String, now: Date = Date()) async -> DoctorCheck {
        guard let store else {
            return DoctorCheck(
                "credentials", .warn, "cannot find the configuration directory, so no local credential", fix: "set HOME or XDG_CONFIG_HOME")
        }
        do {
            return evaluate(local: try store.list(), registered: try await client.ownKeys(), username: username, now: now)
        } catch {
            return DoctorCheck("credentials", .warn, "cannot compare credentials: \(error)", fix: (error as? GitLabError)?.hint)
        }
    }

    public static func evaluate(local: [EnrolledCredential], registered: [SSHKey], username: String, now: Date) -> DoctorCheck {
        let profile = registered.compactMap { key in
            (try? SKPublicKey(authorizedKeysLine: key.publicKeyWithoutComment)).map { (key, $0) }
        }
        guard !local.isEmpty else {
            return DoctorCheck(
                "credentials", .warn, "no local credential (\(profile.count) security key(s) on \(username)'s profile)",
                fix: "run `ciauth enroll` with your security key plugged in (or `ciauth enroll --import FILE` for an existing sk key file)")
        }
        var findings = local.map { credential in
            finding(credential, profileKey: profile.first { $0.1 == credential.publicKey }?.0, username: username, now: now)
        }
        let elsewhere = profile.filter { entry in !local.contains { $0.publicKey == entry.1 } }
        if !elsewhere.isEmpty {
            findings.append(Finding(
                .ok, "\(elsewhere.count) other security key(s) on the profile have no credential here "
                    + "(another machine, or resident on a key): " + elsewhere.map { "key \($0.0.id) \($0.1.fingerprint)" }.joined(separator: ", ")))
        }
        let status = findings.map(\.status).max { rank($0) < rank($1) } ?? .ok
        let fixes = findings.compactMap(\.fix)
        return DoctorCheck(
            "credentials", status, findings.map(\.message).joined(separator: "; "), fix: fixes.isEmpty ? nil : fixes.joined(separator: "; "))
    }

    struct Finding {
        var status: DoctorCheck.Status
        var message: String
        var fix: String?

        init(_ status: DoctorCheck.Status, _ message: String, fix: String? = nil) {
            self.status = status
            self.message = message
            self.fix = fix
        }
    }

    static func finding(_ credential: EnrolledCredential, profileKey: SSHKey?, username: String, now: Date) -> Finding {
        let file = credential.file.path
        let label = "\(credential.fingerprint) (\(credential.file.lastPathComponent))"
        guard let key = profileKey else {
            return Finding(
                .fail, "\(label) is not on \(username)'s profile: verify would reject approvals signed with it as an unknown key",
                fix: "register it with `ciauth enroll --import \(file)`, or enroll again")
        }
        if key.isExpired(at: now) {
            return Finding(
                .fail, "\(label) is GitLab key \(key.id), which has expired: verify rejects approvals signed with it",
                fix: "enroll again (`ciauth enroll`), then remove the old key (`ciauth keys revoke \(key.id)`)")
        }
        guard key.usageType.allowsSigning else {
            return Finding(
                .fail, "\(label) is GitLab key \(key.id) with usage \(key.usageType.rawValue): verify only trusts signing keys",
                fix: "delete key \(key.id) on GitLab (`ciauth keys revoke \(key.id)`) and register it for signing: `ciauth enroll --import \(file)`")
        }
        if let expiry = key.expiresAt, expiry.timeIntervalSince(now) < Double(expiryWarningDays) * 86400 {
            let days = Int((expiry.timeIntervalSince(now) / 86400).rounded(.up))
            return Finding(
                .warn, "\(label) is GitLab key \(key.id), which expires in \(days) day(s)",
                fix: "enroll a new credential before key \(key.id) expires")
        }
        return Finding(.ok, "\(label) is GitLab key \(key.id) (\(key.usageType.rawValue))")
    }

    static func rank(_ status: DoctorCheck.Status) -> Int {
        switch status {
        case .ok: 0
        case .warn: 1
        case .fail: 2
        }
    }
}
