import Foundation

/// The initial state of a simulated GitLab instance, loadable from JSON (snake_case keys).
///
/// Everything not named here is derived: pipeline status, deployments of jobs with an
/// environment, fingerprints of keys, effective memberships.
public struct SimSeed: Codable, Sendable, Equatable {
    public var users: [SimSeed.User]
    public var groups: [SimSeed.Group]
    public var projects: [SimSeed.Project]
    public var runner: SimSeed.Runner
    public var faults: [SimFaultRule]
    /// Instance-wide application settings (an administrator's choices).
    public var settings: SimSeed.Settings
    /// How CI ID tokens are signed (IDTokens/IDTokenSeed.swift).
    public var idTokens: SimSeed.IDTokens?

    public init(
        users: [SimSeed.User] = [],
        groups: [SimSeed.Group] = [],
        projects: [SimSeed.Project] = [],
        runner: SimSeed.Runner = SimSeed.Runner(),
        faults: [SimFaultRule] = [],
        settings: SimSeed.Settings = SimSeed.Settings(),
        idTokens: SimSeed.IDTokens? = nil
    ) {
        self.users = users
        self.groups = groups
        self.projects = projects
        self.runner = runner
        self.faults = faults
        self.settings = settings
        self.idTokens = idTokens
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        users = try container.decodeIfPresent([User].self, forKey: .users) ?? []
        groups = try container.decodeIfPresent([Group].self, forKey: .groups) ?? []
        projects = try container.decodeIfPresent([Project].self, forKey: .projects) ?? []
        runner = try container.decodeIfPresent(Runner.self, forKey: .runner) ?? Runner()
        faults = try container.decodeIfPresent([SimFaultRule].self, forKey: .faults) ?? []
        settings = try container.decodeIfPresent(Settings.self, forKey: .settings) ?? Settings()
        idTokens = try container.decodeIfPresent(IDTokens.self, forKey: .idTokens)
    }

    /// Reads a seed from JSON bytes; keys are snake_case as in GitLab's API.
    /// Unknown keys are rejected, so a misspelt setting cannot silently take its default.
    public static func decode(json: Data) throws -> SimSeed {
        let seed: SimSeed
        do {
            seed = try SimSeed.decoder().decode(SimSeed.self, from: json)
        } catch {
            throw SimError.invalidSeed(String(describing: error))
        }
        guard let unknown = SeedKeyCheck.unknownKeys(original: json, decoded: try seed.encodedJSON()) else {
            throw SimError.invalidSeed("not JSON")
        }
        guard unknown.isEmpty else { throw SimError.invalidSeed("unknown keys: \(unknown.joined(separator: ", "))") }
        return seed
    }

    /// Reads a seed from a JSON file.
    public static func load(path: String) throws -> SimSeed {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SimError.invalidSeed("cannot read \(path)")
        }
        return try decode(json: data)
    }

    /// Encodes the seed as snake_case JSON (the format `load(path:)` reads).
    public func encodedJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return try encoder.encode(self)
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}

extension SimSeed {
    /// Account states (GitLab's `state` field, app/models/user.rb's state machine).
    public enum UserState: String, Codable, Sendable {
        case active, blocked, deactivated, banned
        case ldapBlocked = "ldap_blocked"
        case blockedPendingApproval = "blocked_pending_approval"

        /// The states `GET /users` hides from everyone but administrators
        /// (app/finders/users_finder.rb, `FORBIDDEN_SEARCH_STATES`).
        var isHiddenFromSearch: Bool { [.blocked, .banned, .ldapBlocked].contains(self) }
    }

    /// Application settings an administrator sets for the whole instance.
    public struct Settings: Codable, Sendable, Equatable {
        /// Visibility levels only administrators may use (`restricted_visibility_levels`).
        /// With `public` in it, anonymous visitors may not read users: `GET /users` answers 403
        /// and `GET /users/:id/keys` 404 (app/policies/user_policy.rb, global_policy.rb).
        public var restrictedVisibilityLevels: [String]

        public init(restrictedVisibilityLevels: [String] = []) {
            self.restrictedVisibilityLevels = restrictedVisibilityLevels
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            restrictedVisibilityLevels = try c.decodeIfPresent([String].self, forKey: .restrictedVisibilityLevels) ?? []
        }

        /// Whether anonymous visitors lose the Public level (and with it, reading users).
        var restrictsPublic: Bool { restrictedVisibilityLevels.contains("public") }
    }

    public struct User: Codable, Sendable, Equatable {
        public var id: Int
        public var username: String
        public var name: String
        public var email: String?
        public var admin: Bool
        public var state: UserState
        public var tokens: [Token]
        public var keys: [SSHKey]
        public var createdAt: String?

        public init(
            id: Int, username: String, name: String, email: String? = nil, admin: Bool = false,
            state: UserState = .active, tokens: [Token] = [], keys: [SSHKey] = [], createdAt: String? = nil
        ) {
            self.id = id
            self.username = username
            self.name = name
            self.email = email
            self.admin = admin
            self.state = state
            self.tokens = tokens
            self.keys = keys
            self.createdAt = createdAt
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(Int.self, forKey: .id)
            username = try c.decode(String.self, forKey: .username)
            name = try c.decodeIfPresent(String.self, forKey: .name) ?? username
            email = try c.decodeIfPresent(String.self, forKey: .email)
            admin = try c.decodeIfPresent(Bool.self, forKey: .admin) ?? false
            state = try c.decodeIfPresent(UserState.self, forKey: .state) ?? .active
            tokens = try c.decodeIfPresent([Token].self, forKey: .tokens) ?? []
            keys = try c.decodeIfPresent([SSHKey].self, forKey: .keys) ?? []
            createdAt = try c.decodeIfPresent(String.self, forKey: .createdAt)
        }
    }

    /// A personal access token. In JSON either a bare string (scope `api`, no name, no expiry)
    /// or `{"value": "...", "scopes": ["read_api"], "name": "laptop", "expires_at": "2030-01-31"}`.
    public struct Token: Codable, Sendable, Equatable {
        public var value: String
        public var scopes: [String]
        /// What `GET /personal_access_tokens/self` calls it; default "token N" (N its id).
        public var name: String?
        /// `YYYY-MM-DD`, reported by `GET /personal_access_tokens/self`; nil: never expires.
        /// Not enforced: an expired seeded token still authenticates.
        public var expiresAt: String?

        public init(_ value: String, scopes: [String] = ["api"], name: String? = nil, expiresAt: String? = nil) {
            self.value = value
            self.scopes = scopes
            self.name = name
            self.expiresAt = expiresAt
        }

        public init(from decoder: Decoder) throws {
            if let single = try? decoder.singleValueContainer(), let value = try? single.decode(String.self) {
                self.init(value)
                return
            }
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                try c.decode(String.self, forKey: .value),
                scopes: try c.decodeIfPresent([String].self, forKey: .scopes) ?? ["api"],
                name: try c.decodeIfPresent(String.self, forKey: .name),
                expiresAt: try c.decodeIfPresent(String.self, forKey: .expiresAt)
            )
        }
    }

    /// An SSH key already on a profile. Seeded keys skip creation-time validation (so expired
    /// keys can be seeded) but must still parse.
    public struct SSHKey: Codable, Sendable, Equatable {
        public var id: Int?
        public var title: String
        public var key: String
        public var usageType: String?
        public var createdAt: String?
        public var expiresAt: String?

        public init(
            id: Int? = nil, title: String, key: String, usageType: String? = nil,
            createdAt: String? = nil, expiresAt: String? = nil
        ) {
            self.id = id
            self.title = title
            self.key = key
            self.usageType = usageType
            self.createdAt = createdAt
            self.expiresAt = expiresAt
        }
    }

    /// A direct membership: user id and access level (10, 20, 30, 40, 50).
    public struct Member: Codable, Sendable, Equatable {
        public var userId: Int
        public var accessLevel: Int
        public var expiresAt: String?

        public init(userId: Int, accessLevel: Int, expiresAt: String? = nil) {
            self.userId = userId
            self.accessLevel = accessLevel
            self.expiresAt = expiresAt
        }
    }

    public struct Group: Codable, Sendable, Equatable {
        public var id: Int
        public var path: String
        public var name: String?
        public var parentId: Int?
        public var visibility: String?
        public var members: [Member]?

        public init(
            id: Int, path: String, name: String? = nil, parentId: Int? = nil,
            visibility: String? = nil, members: [Member]? = nil
        ) {
            self.id = id
            self.path = path
            self.name = name
            self.parentId = parentId
            self.visibility = visibility
            self.members = members
        }
    }

    public struct Project: Codable, Sendable, Equatable {
        public var id: Int
        /// Full path, e.g. `acme/platform/deployer`; its namespace must be a seeded group's
        /// full path or a seeded user's username.
        public var pathWithNamespace: String
        public var name: String?
        public var visibility: String?
        public var defaultBranch: String?
        public var members: [Member]?
        /// `no_one_allowed`, `developer`, `maintainer` (default, as self-managed) or `owner`.
        /// Applies only while `restrict_user_defined_variables` is true.
        public var ciPipelineVariablesMinimumOverrideRole: String?
        /// Whether the minimum role above gates pipeline variables (default true); false lets
        /// anyone who may play a job pass variables, whatever the role says. GitLab stores the
        /// two separately (ProjectCiCdSetting).
        public var restrictUserDefinedVariables: Bool?
        /// Refs whose jobs only Maintainers and above may play (protected branches).
        public var protectedRefs: [String]?
        /// Project CI/CD variables (lower precedence than manual job variables).
        public var variables: [String: String]?
        /// Default working directory of this project's jobs (`CI_PROJECT_DIR`).
        public var workingDirectory: String?
        /// Never-played manual deploy jobs of older pipelines, each with its `blocked` deployment.
        public var staleDeployments: StaleDeployments?
        public var pipelines: [Pipeline]?
        /// Environments whose deployments are protected (the ID token's `environment_protected`).
        public var protectedEnvironments: [String]?
        /// Ids of other projects whose CI job tokens may access this project (GitLab's job token
        /// inbound allowlist, "Authorized groups and projects"); the project itself always may.
        public var ciJobTokenAllowlist: [Int]?

        public init(
            id: Int, pathWithNamespace: String, name: String? = nil, visibility: String? = nil,
            defaultBranch: String? = nil, members: [Member]? = nil,
            ciPipelineVariablesMinimumOverrideRole: String? = nil, restrictUserDefinedVariables: Bool? = nil,
            protectedRefs: [String]? = nil, variables: [String: String]? = nil, workingDirectory: String? = nil,
            pipelines: [Pipeline]? = nil, protectedEnvironments: [String]? = nil, ciJobTokenAllowlist: [Int]? = nil
        ) {
            self.protectedEnvironments = protectedEnvironments
            self.ciJobTokenAllowlist = ciJobTokenAllowlist
            self.id = id
            self.pathWithNamespace = pathWithNamespace
            self.name = name
            self.visibility = visibility
            self.defaultBranch = defaultBranch
            self.members = members
            self.ciPipelineVariablesMinimumOverrideRole = ciPipelineVariablesMinimumOverrideRole
            self.restrictUserDefinedVariables = restrictUserDefinedVariables
            self.protectedRefs = protectedRefs
            self.variables = variables
            self.workingDirectory = workingDirectory
            self.pipelines = pipelines
        }
    }

    public struct Commit: Codable, Sendable, Equatable {
        public var title: String?
        public var message: String?
        public var authorName: String?
        public var authorEmail: String?
        /// The commit's files that the repository files API serves, by path (e.g. `.ciauth.yml`);
        /// any path not listed is absent from the commit.
        public var files: [String: String]?

        public init(
            title: String? = nil, message: String? = nil, authorName: String? = nil, authorEmail: String? = nil,
            files: [String: String]? = nil
        ) {
            self.files = files
            self.title = title
            self.message = message
            self.authorName = authorName
            self.authorEmail = authorEmail
        }
    }

    public struct Pipeline: Codable, Sendable, Equatable {
        public var id: Int
        public var iid: Int?
        public var ref: String
        public var sha: String
        public var source: String?
        /// Username of the pipeline's creator.
        public var user: String?
        public var commit: Commit?
        /// The commit is gone from the repository (garbage-collected after a force-push):
        /// GitLab then shows the pipeline's jobs with `"commit": null`.
        public var commitMissing: Bool?
        public var jobs: [Job]

        public init(
            id: Int, iid: Int? = nil, ref: String, sha: String, source: String? = nil,
            user: String? = nil, commit: Commit? = nil, commitMissing: Bool? = nil, jobs: [Job] = []
        ) {
            self.id = id
            self.iid = iid
            self.ref = ref
            self.sha = sha
            self.source = source
            self.user = user
            self.commit = commit
            self.commitMissing = commitMissing
            self.jobs = jobs
        }
    }

    public struct Job: Codable, Sendable, Equatable {
        public var id: Int
        public var name: String
        public var stage: String
        /// `manual`, `created`, `pending`, `running`, `success`, `failed`, `canceled`, `skipped`.
        public var status: String
        /// `on_success` (default) or `manual`.
        public var when: String?
        public var environment: String?
        /// `environment: action:` — `start` (default) gets a deployment; `stop`, `prepare`,
        /// `verify` and `access` do not (GitLab's `Seed::Deployment`).
        public var environmentAction: String?
        /// Shell script run with `/bin/sh -c` when the job is played.
        public var script: String?
        /// Username of the job's user (defaults to the pipeline's).
        public var user: String?
        public var allowFailure: Bool?
        /// Job-level YAML variables (below project variables, above predefined ones).
        public var variables: [String: String]?
        public var workingDirectory: String?
        public var tagList: [String]?
        /// `id_tokens:`: variable name → audience; the job's script gets a signed ID token in each.
        public var idTokens: [String: IDTokenSpec]?

        public init(
            id: Int, name: String, stage: String = "deploy", status: String = "manual", when: String? = "manual",
            environment: String? = nil, script: String? = nil, user: String? = nil, allowFailure: Bool? = nil,
            variables: [String: String]? = nil, workingDirectory: String? = nil, tagList: [String]? = nil,
            environmentAction: String? = nil,
            idTokens: [String: IDTokenSpec]? = nil
        ) {
            self.idTokens = idTokens
            self.id = id
            self.name = name
            self.environmentAction = environmentAction
            self.stage = stage
            self.status = status
            self.when = when
            self.environment = environment
            self.script = script
            self.user = user
            self.allowFailure = allowFailure
            self.variables = variables
            self.workingDirectory = workingDirectory
            self.tagList = tagList
        }
    }

    public struct Runner: Codable, Sendable, Equatable {
        /// Directories put in front of the simulator's own PATH for job scripts.
        public var pathPrepend: [String]
        /// A job still running after this many seconds is killed and fails.
        public var timeoutSeconds: Int

        public init(pathPrepend: [String] = [], timeoutSeconds: Int = 60) {
            self.pathPrepend = pathPrepend
            self.timeoutSeconds = timeoutSeconds
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            pathPrepend = try c.decodeIfPresent([String].self, forKey: .pathPrepend) ?? []
            timeoutSeconds = try c.decodeIfPresent(Int.self, forKey: .timeoutSeconds) ?? 60
        }
    }
}

extension SimSeed.Token: ExpressibleByStringLiteral {
    /// `"alice-token"` in Swift seeds, as in JSON: a token with scope `api`.
    public init(stringLiteral value: String) {
        self.init(value)
    }
}
