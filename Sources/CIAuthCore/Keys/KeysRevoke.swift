import Foundation
import GitLab

/// `keys revoke`: which keys, by GitLab key id or `SHA256:` fingerprint, and whose.
public struct KeysRevokeRequest: Sendable {
    public var selectors: [String]
    /// Another user's keys (needs an administrator token); nil for the token owner's own keys.
    public var user: String?

    public init(selectors: [String], user: String? = nil) {
        self.selectors = selectors
        self.user = user
    }

    /// Checks the selectors' form without any I/O.
    public static func validate(selector: String) throws(KeysError) {
        if selector.hasPrefix("SHA256:"), selector.count > 7 { return }
        if !selector.isEmpty, selector.allSatisfy({ $0.isASCII && $0.isNumber }) { return }
        throw KeysError(
            .invalidSelector, "'\(selector)' is neither a key id nor a SHA256 fingerprint",
            hint: "pass the ID or FINGERPRINT column of `ciauth keys list`")
    }
}

/// Resolves and deletes keys. Resolution lists the owner's keys first, so a typo never deletes
/// anything and the confirmation can show exactly what goes.
public struct KeysRevoke: Sendable {
    public var client: GitLabClient

    public init(client: GitLabClient) {
        self.client = client
    }

    /// Own keys are deleted as their owner; another user's need an administrator.
    public static func authority(for request: KeysRevokeRequest) -> KeysRevoker.Authority {
        request.user == nil ? .owner : .administrator
    }

    /// The keys the selectors name, in the order given; fails when one names no key.
    public func resolve(_ request: KeysRevokeRequest) async throws -> [ProfileKey] {
        let scope: KeysScope = request.user.map { .users([$0]) } ?? .currentUser
        let keys = try await KeysInventory(client: client).keys(of: scope)
        var chosen: [ProfileKey] = []
        for selector in request.selectors {
            try KeysRevokeRequest.validate(selector: selector)
            let matches = keys.filter { String($0.id) == selector || $0.fingerprint == selector }
            guard let key = matches.first else {
                let whose = request.user.map { "of \($0)" } ?? "of yours"
                throw KeysError(
                    .keyNotFound, "no key \(whose) matches \(selector)",
                    hint: request.user == nil ? "another user's key needs --user NAME and an administrator token" : nil)
            }
            if !chosen.contains(key) { chosen.append(key) }
        }
        return chosen
    }

    public func revoke(_ keys: [ProfileKey], request: KeysRevokeRequest) async -> [KeysRevocationResult] {
        await KeysRevoker(client: client).revoke(keys, as: Self.authority(for: request))
    }
}
