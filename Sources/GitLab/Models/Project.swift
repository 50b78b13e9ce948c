/// Who may set pipeline variables (and so play jobs with variables): the project setting
/// "Minimum role to use pipeline variables" (`ci_pipeline_variables_minimum_override_role`).
public enum PipelineVariablesMinimumRole: Sendable, Hashable, Decodable {
    case noOneAllowed
    case developer
    case maintainer
    case owner
    case unrecognized(String)

    public init(rawValue: String) {
        switch rawValue {
        case "no_one_allowed": self = .noOneAllowed
        case "developer": self = .developer
        case "maintainer": self = .maintainer
        case "owner": self = .owner
        default: self = .unrecognized(rawValue)
        }
    }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    /// Lowest access level allowed, nil when nobody (or unknown).
    public var minimumAccessLevel: AccessLevel? {
        switch self {
        case .developer: .developer
        case .maintainer: .maintainer
        case .owner: .owner
        case .noOneAllowed, .unrecognized: nil
        }
    }
}

/// How a project is named in a request: numeric id or full path (`group/sub/project`).
public enum ProjectReference: Sendable, Hashable, CustomStringConvertible {
    case id(Int)
    case path(String)

    /// The `:id` path segment: the number, or the path with `/` encoded as `%2F`.
    var pathSegment: String {
        switch self {
        case .id(let id): String(id)
        case .path(let path): PercentEncoding.encode(path)
        }
    }

    func validated() throws(GitLabError) -> ProjectReference {
        switch self {
        case .id(let id) where id <= 0:
            throw GitLabError(.invalidArgument, hint: "project id must be positive")
        case .path(let path) where path.isEmpty || path.hasPrefix("/") || path.hasSuffix("/") || path.contains("//"):
            throw GitLabError(.invalidArgument, hint: "project path must look like group/project")
        default:
            return self
        }
    }

    public var description: String {
        switch self {
        case .id(let id): "project \(id)"
        case .path(let path): "project \(path)"
        }
    }
}

/// A project (`GET /projects/:id`), the fields ciauth relies on.
public struct GitLabProject: Decodable, Sendable, Hashable {
    public let id: Int
    public let pathWithNamespace: String
    public let webURL: String
    public let defaultBranch: String?
    /// Present for users who may see CI settings (Maintainer+); nil otherwise.
    public let pipelineVariablesMinimumRole: PipelineVariablesMinimumRole?
    /// `restrict_user_defined_variables` (Maintainer+): false lets anyone who may run a job pass
    /// variables, whatever the minimum role says.
    public let restrictUserDefinedVariables: Bool?
    /// The token user's direct and group access, when GitLab shows them.
    public let permissions: Permissions?

    public struct Permissions: Decodable, Sendable, Hashable {
        public struct Access: Decodable, Sendable, Hashable {
            public let accessLevel: AccessLevel

            enum CodingKeys: String, CodingKey {
                case accessLevel = "access_level"
            }
        }

        public let projectAccess: Access?
        public let groupAccess: Access?

        enum CodingKeys: String, CodingKey {
            case projectAccess = "project_access"
            case groupAccess = "group_access"
        }
    }

    /// The higher of the direct and the group access level, nil when GitLab shows neither.
    public var accessLevel: AccessLevel? {
        [permissions?.projectAccess?.accessLevel, permissions?.groupAccess?.accessLevel].compactMap { $0 }.max()
    }

    enum CodingKeys: String, CodingKey {
        case id, permissions
        case pathWithNamespace = "path_with_namespace"
        case webURL = "web_url"
        case defaultBranch = "default_branch"
        case pipelineVariablesMinimumRole = "ci_pipeline_variables_minimum_override_role"
        case restrictUserDefinedVariables = "restrict_user_defined_variables"
    }
}
