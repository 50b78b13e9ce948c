import Foundation

/// What the user asked to approve: one job, or the manual jobs of a pipeline.
///
/// Accepted forms: a bare number (a job id, or a pipeline id with `--all-manual`), a job URL
/// (`https://host/group/project/-/jobs/4711`) or a pipeline URL (`.../-/pipelines/120`).
/// A URL names its own project; a bare number needs the project from `--project` or the git remote.
public struct JobReference: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case job
        case pipeline
    }

    public let kind: Kind
    public let id: Int
    /// The project path from a URL (`group/sub/project`), nil for a bare number.
    public let projectPath: String?
    /// The server from a URL (`https://host[:port][/prefix]`), nil for a bare number.
    public let server: String?

    public init(kind: Kind, id: Int, projectPath: String? = nil, server: String? = nil) {
        self.kind = kind
        self.id = id
        self.projectPath = projectPath
        self.server = server
    }

    /// Parses what the user typed.
    ///
    /// - Parameters:
    ///   - bareNumberKind: what a bare number means (`.pipeline` with `--all-manual`).
    ///   - knownServer: the configured server, whose path prefix (self-managed GitLab under
    ///     `/gitlab`, say) is not part of the project path.
    public static func parse(_ text: String, bareNumberKind: Kind = .job, knownServer: String? = nil) throws(JobReferenceError) -> JobReference {
        if let id = Self.positiveID(text) {
            return JobReference(kind: bareNumberKind, id: id)
        }
        guard text.hasPrefix("https://") || text.hasPrefix("http://") else {
            throw .unrecognised(text)
        }
        return try parseURL(text, knownServer: knownServer)
    }

    private static func parseURL(_ text: String, knownServer: String?) throws(JobReferenceError) -> JobReference {
        guard let schemeEnd = text.range(of: "://") else { throw .unrecognised(text) }
        var rest = String(text[schemeEnd.upperBound...])
        if let cut = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = String(rest[..<cut]) }
        let hostEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        let host = String(rest[..<hostEnd])
        guard !host.isEmpty, !host.contains("@") else { throw .unrecognised(text) }
        var path = String(rest[hostEnd...])
        var server = String(text[..<schemeEnd.upperBound]) + host
        if let prefix = pathPrefix(of: knownServer, host: host, scheme: String(text[..<schemeEnd.lowerBound])),
           path.hasPrefix(prefix + "/") {
            path = String(path.dropFirst(prefix.count))
            server += prefix
        }
        guard path.hasPrefix("/"), let marker = path.range(of: "/-/"), marker.lowerBound > path.startIndex else {
            throw .notAJobOrPipelineURL(text)
        }
        let project = String(path[path.index(after: path.startIndex)..<marker.lowerBound])
        let tail = path[marker.upperBound...].split(separator: "/", omittingEmptySubsequences: false)
        guard !project.isEmpty, project.split(separator: "/", omittingEmptySubsequences: false).allSatisfy({ !$0.isEmpty }),
              tail.count == 2 || (tail.count == 3 && tail[2].isEmpty),
              let id = positiveID(String(tail[1])) else {
            throw .notAJobOrPipelineURL(text)
        }
        switch tail[0] {
        case "jobs": return JobReference(kind: .job, id: id, projectPath: project, server: server)
        case "pipelines": return JobReference(kind: .pipeline, id: id, projectPath: project, server: server)
        default: throw .notAJobOrPipelineURL(text)
        }
    }

    /// The path prefix of a self-managed server on the same scheme and host, e.g. `/gitlab`.
    private static func pathPrefix(of server: String?, host: String, scheme: String) -> String? {
        guard let server, server.hasPrefix(scheme + "://" + host) else { return nil }
        var prefix = String(server.dropFirst((scheme + "://" + host).count))
        while prefix.hasSuffix("/") { prefix.removeLast() }
        return prefix.isEmpty || !prefix.hasPrefix("/") ? nil : prefix
    }

    /// A canonical positive decimal id: digits only, no sign, no leading zero, fits in Int.
    static func positiveID(_ text: String) -> Int? {
        guard !text.isEmpty, text.count <= 18, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              text.first != "0", let value = Int(text) else { return nil }
        return value
    }
}

public enum JobReferenceError: Error, Equatable, CustomStringConvertible {
    case unrecognised(String)
    case notAJobOrPipelineURL(String)

    public var description: String {
        switch self {
        case .unrecognised(let text):
            "'\(text)' is not a job id, a job URL or a pipeline URL"
        case .notAJobOrPipelineURL(let text):
            "'\(text)' is not a GitLab job or pipeline URL (expected …/group/project/-/jobs/ID or …/-/pipelines/ID)"
        }
    }
}
