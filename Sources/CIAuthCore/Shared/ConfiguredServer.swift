import GitLab

/// A server URL a person configured (verify's `--server` pin, `server:` in a policy file or a
/// gate policy), in the canonical form approval statements carry. A pasted `CI_API_V4_URL` names
/// its server (`GitLabServer.baseURL`), as it does for every other command.
public enum ConfiguredServer {
    public static func canonical(_ text: String) throws -> String {
        try ApprovalStatement.canonicalServerURL(GitLabServer.baseURL(text))
    }
}
