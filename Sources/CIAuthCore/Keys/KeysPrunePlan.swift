import Foundation

/// What `keys prune` will do: the same value is printed by `--dry-run` and executed by a real run.
public struct KeysPrunePlan: Codable, Hashable, Sendable {
    public struct Decision: Codable, Hashable, Sendable {
        public var key: ProfileKey
        /// Every rule that matched (empty for kept keys).
        public var reasons: [String]
    }

    /// A member whose keys could not be read: none of them is revoked, and the run fails.
    public struct Unreadable: Codable, Hashable, Sendable {
        public var owner: KeyOwner
        /// `keys-unreadable: ` and the GitLab error.
        public var reason: String

        public init(owner: KeyOwner, reason: String) {
            self.owner = owner
            self.reason = reason
        }
    }

    public var group: String
    /// The rules as given, in a fixed order.
    public var rules: [String]
    public var revoke: [Decision]
    public var keep: [Decision]
    /// Members whose key listing failed; the plan is incomplete for them.
    public var unreadable: [Unreadable]

    /// Applies the rules to every key: revoke when any rule matches, listing all matches.
    public init(
        group: String, keys: [ProfileKey], rules: [KeysPruneRule], facts: KeysPruneFacts, unreadable: [Unreadable] = []
    ) {
        self.group = group
        self.rules = rules.map(\.description)
        self.unreadable = unreadable
        var revoke: [Decision] = []
        var keep: [Decision] = []
        for key in keys {
            let reasons = rules.compactMap { $0.match(key, facts: facts) }
            if reasons.isEmpty {
                keep.append(Decision(key: key, reasons: []))
            } else {
                revoke.append(Decision(key: key, reasons: reasons))
            }
        }
        self.revoke = revoke
        self.keep = keep
    }
}

/// What happened to one key the plan revoked.
public struct KeysRevocationResult: Codable, Hashable, Sendable {
    public enum Outcome: String, Codable, Hashable, Sendable {
        case revoked
        /// GitLab answered 404: the key was already gone (a re-run, or someone else deleted it).
        case alreadyRevoked = "already-revoked"
        case failed
        /// A DELETE may have taken effect but GitLab never said so, and the key could not be read
        /// back: check the profile (`error` names the key).
        case unknown
    }

    public var key: ProfileKey
    public var outcome: Outcome
    /// Requests sent for this key (retries included).
    public var attempts: Int
    public var error: String?

    public init(key: ProfileKey, outcome: Outcome, attempts: Int, error: String? = nil) {
        self.key = key
        self.outcome = outcome
        self.attempts = attempts
        self.error = error
    }
}

/// The report of `keys prune`: the plan, and for a real run what each revocation did.
public struct KeysPruneReport: Codable, Hashable, Sendable {
    public struct Summary: Codable, Hashable, Sendable {
        public var kept: Int
        public var planned: Int
        public var revoked: Int
        public var alreadyRevoked: Int
        public var failed: Int
        /// Revocations whose outcome is unknown (`results` with outcome `unknown`).
        public var unknown: Int
        /// Members whose keys could not be read (`plan.unreadable`).
        public var unreadable: Int
    }

    public var dryRun: Bool
    public var plan: KeysPrunePlan
    public var results: [KeysRevocationResult]
    public var summary: Summary

    public init(dryRun: Bool, plan: KeysPrunePlan, results: [KeysRevocationResult]) {
        self.dryRun = dryRun
        self.plan = plan
        self.results = results
        summary = Summary(
            kept: plan.keep.count, planned: plan.revoke.count,
            revoked: results.count { $0.outcome == .revoked },
            alreadyRevoked: results.count { $0.outcome == .alreadyRevoked },
            failed: results.count { $0.outcome == .failed }, unknown: results.count { $0.outcome == .unknown },
            unreadable: plan.unreadable.count)
    }

    /// A revocation failed, or some member's keys could not be examined (dry runs too: their plan
    /// is incomplete).
    public var hasFailures: Bool { summary.failed > 0 || summary.unreadable > 0 }

    /// Some revocation may or may not have happened.
    public var hasUnknownOutcomes: Bool { summary.unknown > 0 }
}
