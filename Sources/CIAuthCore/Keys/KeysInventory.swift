import Foundation
import GitLab

/// Whose keys a key command looks at.
public enum KeysScope: Hashable, Sendable {
    /// The token owner's own keys (`GET /user`, `GET /user/keys`).
    case currentUser
    /// Named users (`GET /users?username=`, then `GET /users/:id/keys`).
    case users([String])
    /// Every effective member of a group (`GET /groups/:id/members/all`, then each member's keys).
    case group(String)
}

/// Loads profile keys with their owners: one members listing (paginated) plus one key listing
/// per member, at most `concurrency` at a time.
public struct KeysInventory: Sendable {
    public var client: GitLabClient
    public var concurrency: Int

    public init(client: GitLabClient, concurrency: Int = 8) {
        self.client = client
        self.concurrency = max(1, concurrency)
    }

    /// Every key of the scope, all types and usages, sorted by owner then key id; fails with the
    /// first key listing that fails.
    public func keys(of scope: KeysScope) async throws -> [ProfileKey] {
        let owners = try await self.owners(of: scope)
        let isSelf = scope == .currentUser
        let client = self.client
        let lists = try await BoundedConcurrency.map(owners, limit: concurrency) { owner in
            try await Self.keys(of: owner, isSelf: isSelf, client: client)
        }
        return Self.sorted(lists.flatMap { $0 })
    }

    /// Like `keys(of:)`, but a failed key listing (after the client's retries) is recorded and the
    /// other owners are still read. The owners themselves must be read completely, or this throws.
    public func survey(of scope: KeysScope) async throws -> KeysSurvey {
        let owners = try await self.owners(of: scope)
        let isSelf = scope == .currentUser
        let client = self.client
        let lists = try await BoundedConcurrency.map(owners, limit: concurrency) { owner in
            do throws(GitLabError) {
                return Result<[ProfileKey], GitLabError>.success(try await Self.keys(of: owner, isSelf: isSelf, client: client))
            } catch {
                return .failure(error)
            }
        }
        var keys: [ProfileKey] = []
        var unreadable: [KeysSurvey.Unreadable] = []
        for (owner, list) in zip(owners, lists) {
            switch list {
            case .success(let ownerKeys): keys += ownerKeys
            case .failure(let error): unreadable.append(KeysSurvey.Unreadable(owner: owner, error: error))
            }
        }
        return KeysSurvey(keys: Self.sorted(keys), unreadable: unreadable.sorted { $0.owner.username < $1.owner.username })
    }

    /// Another user's keys are read with the token when there is one: an instance that restricts
    /// Public visibility answers anonymous visitors 404.
    private static func keys(of owner: KeyOwner, isSelf: Bool, client: GitLabClient) async throws(GitLabError) -> [ProfileKey] {
        let keys = isSelf
            ? try await client.ownKeys() : try await client.keys(ofUser: String(owner.id), authenticated: client.hasUserToken)
        return keys.map { ProfileKey(owner: owner, key: $0) }
    }

    private static func sorted(_ keys: [ProfileKey]) -> [ProfileKey] {
        keys.sorted { ($0.owner.username, $0.id) < ($1.owner.username, $1.id) }
    }

    /// The owners a scope names, with their state and (for a group) access level.
    public func owners(of scope: KeysScope) async throws -> [KeyOwner] {
        switch scope {
        case .currentUser:
            let user = try await client.currentUser()
            return [KeyOwner(id: user.id, username: user.username, state: user.state)]
        case .users(let names):
            var owners: [KeyOwner] = []
            for name in names {
                guard let user = try await client.user(username: name, authenticated: client.hasUserToken) else {
                    throw KeysError(
                        .userNotFound,
                        "GitLab lists no user \(name): no such user, or the account is blocked, banned or LDAP-blocked "
                            + "(GitLab hides those from everyone but administrators)",
                        hint: "check the spelling of the username; an administrator's token lists blocked accounts too")
                }
                owners.append(KeyOwner(id: user.id, username: user.username, state: user.state))
            }
            return owners
        case .group(let path):
            return try await members(of: path).values.sorted { $0.username < $1.username }
        }
    }

    /// Effective members of a group by user id (one paginated listing).
    public func members(of group: String) async throws -> [Int: KeyOwner] {
        let members = try await client.members(of: .group(group))
        var byID: [Int: KeyOwner] = [:]
        for member in members {
            byID[member.id] = KeyOwner(
                id: member.id, username: member.username, state: member.state, accessLevel: member.accessLevel.rawValue)
        }
        return byID
    }
}

/// Runs an async transform over a list with at most `limit` calls in flight; keeps the order
/// and fails with the first error.
enum BoundedConcurrency {
    static func map<Element: Sendable, Output: Sendable>(
        _ elements: [Element], limit: Int, _ transform: @escaping @Sendable (Element) async throws -> Output
    ) async throws -> [Output] {
        try await withThrowingTaskGroup(of: (Int, Output).self) { group in
            var results = [Output?](repeating: nil, count: elements.count)
            var next = 0
            var inFlight = 0
            while next < elements.count || inFlight > 0 {
                while next < elements.count, inFlight < limit {
                    let index = next
                    let element = elements[index]
                    group.addTask { (index, try await transform(element)) }
                    next += 1
                    inFlight += 1
                }
                guard let (index, result) = try await group.next() else { break }
                inFlight -= 1
                results[index] = result
            }
            return results.compactMap { $0 }
        }
    }
}
