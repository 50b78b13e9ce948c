import Foundation

/// Who is calling, from the request's credentials.
enum Caller: Sendable {
    case anonymous
    /// A personal access token and its owner.
    case user(UserRecord, token: SimSeed.Token)
    /// A running job's `CI_JOB_TOKEN`; acts for the job's project and user.
    case job(JobRecord)

    var user: UserRecord? {
        if case .user(let user, _) = self { return user }
        return nil
    }
}

/// Which credentials a route accepts.
enum AuthRule: Sendable {
    /// Anonymous allowed; a personal token is used if present.
    case optionalUser
    /// A personal token is required.
    case user
    /// Only a job token (`GET /job`).
    case jobTokenOnly
    /// A personal token or a job token (deployments).
    case userOrJobToken
    /// Anonymous allowed; a personal or job token is used if present (pipeline reads).
    case optionalUserOrJobToken
    /// A personal token or anonymous, as public resources allow (members of public groups).
    case anonymousForPublic

    /// Whether GitLab looks at a job token on such a route (`route_setting :authentication,
    /// job_token_allowed: true`); elsewhere the job token is never read.
    var acceptsJobToken: Bool {
        switch self {
        case .jobTokenOnly, .userOrJobToken, .optionalUserOrJobToken: true
        case .optionalUser, .user, .anonymousForPublic: false
        }
    }
}

enum Authenticator {
    /// Resolves the caller: PRIVATE-TOKEN / private_token, Authorization: Bearer (personal or job
    /// token), JOB-TOKEN / job_token. A personal credential that matches nothing is 401, even
    /// where anonymous access is allowed, as GitLab does. A job token is read only on routes that
    /// accept one; elsewhere it is ignored and the request goes on anonymously
    /// (lib/gitlab/auth/auth_finders.rb: `find_user_from_job_token` only for `job_token_allowed`).
    static func caller(for request: SimRequest, in world: SimWorld, acceptsJobToken: Bool) throws(APIError) -> Caller {
        if let token = request.header("PRIVATE-TOKEN") ?? request.queryValue("private_token") {
            return try userCaller(token: token, in: world)
        }
        if let authorization = request.header("Authorization") {
            guard authorization.hasPrefix("Bearer ") else { throw .unauthorized }
            let token = String(authorization.dropFirst("Bearer ".count))
            if let job = world.activeJobToken(token) { return acceptsJobToken ? .job(job) : .anonymous }
            return try userCaller(token: token, in: world)
        }
        if acceptsJobToken, let token = request.header("JOB-TOKEN") ?? request.queryValue("job_token") {
            guard let job = world.activeJobToken(token) else { throw .unauthorized }
            return .job(job)
        }
        return .anonymous
    }

    private static func userCaller(token: String, in world: SimWorld) throws(APIError) -> Caller {
        guard let (user, match) = world.user(token: token) else { throw .unauthorized }
        try checkState(of: user, baseURL: world.baseURL)
        return .user(user, token: match)
    }

    private static func checkState(of user: UserRecord, baseURL: String) throws(APIError) {
        switch user.state {
        case .active: return
        case .blocked, .banned, .ldapBlocked: throw .forbidden("Your account has been blocked.")
        case .blockedPendingApproval:
            throw .forbidden("Your account is pending approval from your administrator and hence blocked.")
        case .deactivated:
            throw .forbidden(
                "Your account has been deactivated by your administrator. "
                    + "Please log back in from a web browser to reactivate your account at \(baseURL)"
            )
        }
    }

    /// Applies a route's rule: job tokens only where GitLab accepts them (`caller` has already
    /// dropped them elsewhere), personal tokens needing `api` for writes and `read_api`/`read_user`
    /// for reads.
    static func authorize(_ caller: Caller, rule: AuthRule, method: String, userScoped: Bool) throws(APIError) {
        switch (caller, rule) {
        case (.job, _) where rule.acceptsJobToken: return
        case (.job, _): throw .unauthorized
        case (.anonymous, .user), (.anonymous, .userOrJobToken): throw .unauthorized
        case (.user, .jobTokenOnly): throw .notFound("Job")
        case (.anonymous, .jobTokenOnly): throw .unauthorized
        case (.user(_, let token), _):
            let readScopes: Set<String> = userScoped ? ["api", "read_api", "read_user"] : ["api", "read_api"]
            let needed: Set<String> = method == "GET" ? readScopes : ["api"]
            guard !needed.isDisjoint(with: token.scopes) else { throw .insufficientScope }
        case (.anonymous, _): return
        }
    }
}
