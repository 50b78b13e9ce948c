import GitLab
import Logging

/// The read-only token for the reads a job token may not make (group members, the pipeline's
/// creator on all but the newest GitLab) and for users and keys on instances that hide them from
/// anonymous visitors (restricted Public visibility): a `read_api` token in the CI/CD variable
/// named by `--read-token-variable` or `read_token_variable:`. The variable's value could be
/// replaced by a job variable, but it only changes who asks: the answer still comes from the
/// pinned server.
struct VerifyReadToken {
    let settings: VerifySettings
    let environment: [String: String]
    let options: GitLabClientOptions
    let logger: Logger

    /// How to configure the token, for remedies.
    static let remedy =
        "store a read_api token in a masked, protected CI/CD variable and name it with --read-token-variable NAME "
        + "(or read_token_variable: NAME in .ciauth.yml)"

    /// Why no token is available, in a reader's words; nil when there is one.
    var missing: String? {
        guard let name = settings.readTokenVariable else { return "no --read-token-variable is configured" }
        guard let value = environment[name], !value.isEmpty else {
            return "the variable \(name) named by --read-token-variable is not set in this job"
        }
        return nil
    }

    /// Runs `body` with a client authenticated by the token and always shuts the client down.
    /// Call only when `missing` is nil.
    func withClient<T>(_ body: (GitLabClient) async throws(VerifyFailure) -> T) async throws(VerifyFailure) -> T {
        let token = settings.readTokenVariable.flatMap { environment[$0] } ?? ""
        let client: GitLabClient
        do {
            client = try GitLabClient(server: settings.gitlabServer, credentials: .accessToken(token), options: options, logger: logger)
        } catch {
            throw .configuration("cannot set up the GitLab client: \(error)", remedy: "check --ca-file and --proxy")
        }
        let outcome: Result<T, VerifyFailure>
        do throws(VerifyFailure) {
            outcome = .success(try await body(client))
        } catch {
            outcome = .failure(error)
        }
        try? await client.shutdown()
        return try outcome.get()
    }
}
