import Foundation

/// A GitLab project named by a git remote URL, so `ciauth approve 4711` inside a clone knows its project.
///
/// Understands the forms git accepts for GitLab remotes: `git@host:group/project.git`,
/// `ssh://git@host[:port]/group/project.git` and `https://host[:port][/prefix]/group/project.git`.
public struct GitRemote: Equatable, Sendable {
    public let host: String
    public let projectPath: String

    public init(host: String, projectPath: String) {
        self.host = host
        self.projectPath = projectPath
    }

    public init?(url: String, serverPathPrefix: String = "") {
        let text = url.trimmingCharacters(in: .whitespacesAndNewlines)
        let hostAndPath: (host: String, path: String)?
        if let scheme = text.range(of: "://") {
            guard ["ssh", "https", "http", "git+ssh"].contains(String(text[..<scheme.lowerBound])) else { return nil }
            let rest = text[scheme.upperBound...]
            let slash = rest.firstIndex(of: "/") ?? rest.endIndex
            var authority = String(rest[..<slash])
            if let at = authority.lastIndex(of: "@") { authority = String(authority[authority.index(after: at)...]) }
            let host = authority.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
            hostAndPath = (host, String(rest[slash...]))
        } else if let colon = text.firstIndex(of: ":"), !text[..<colon].contains("/") {
            // scp-like syntax: [user@]host:path
            var host = String(text[..<colon])
            if let at = host.lastIndex(of: "@") { host = String(host[host.index(after: at)...]) }
            hostAndPath = (host, "/" + text[text.index(after: colon)...])
        } else {
            hostAndPath = nil
        }
        guard let (host, rawPath) = hostAndPath, !host.isEmpty else { return nil }
        var path = rawPath
        if !serverPathPrefix.isEmpty, path.hasPrefix(serverPathPrefix + "/") { path.removeFirst(serverPathPrefix.count) }
        while path.hasPrefix("/") { path.removeFirst() }
        while path.hasSuffix("/") { path.removeLast() }
        if path.hasSuffix(".git") { path.removeLast(4) }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 2, parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else { return nil }
        self.init(host: host.lowercased(), projectPath: path)
    }
}
