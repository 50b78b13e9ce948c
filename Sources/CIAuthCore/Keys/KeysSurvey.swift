import GitLab

/// The keys of a scope as far as they could be read: a prune must know which owners' keys are
/// missing from the listing, so that it reports them instead of deciding without them.
public struct KeysSurvey: Sendable {
    /// An owner whose key listing failed after the client's retries.
    public struct Unreadable: Sendable {
        public var owner: KeyOwner
        public var error: GitLabError
    }

    /// Keys of the owners that could be read, sorted by owner then key id.
    public var keys: [ProfileKey]
    /// Owners whose keys could not be read, by username.
    public var unreadable: [Unreadable]
}
