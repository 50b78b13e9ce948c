/// A GitLab instance: scheme, host, port and an optional path prefix (`https://host/gitlab`).
///
/// Parsed by hand and strictly: no user info, query or fragment, and plain `http` only for
/// loopback hosts, so a token can never travel in clear over a network.
public struct GitLabServer: Sendable, Hashable, CustomStringConvertible {
    public let scheme: String
    /// Host name or IP literal, lowercased, IPv6 without brackets.
    public let host: String
    public let port: Int?
    /// Path prefix without trailing slash, `""` for none.
    public let pathPrefix: String

    public init(_ text: String) throws(GitLabError) {
        let parsed = try ServerURLParser.parse(Self.baseURL(text))
        scheme = parsed.scheme
        host = parsed.host
        port = parsed.port
        pathPrefix = parsed.path
        if scheme == "http" && !isLoopback {
            throw GitLabError(
                .insecureTransport,
                hint: "plain http is allowed only for loopback hosts (127.0.0.0/8, ::1, localhost); use https so the token is never sent in clear")
        }
    }

    /// `scheme://host[:port]` — what a redirect or a pagination link must match.
    public var origin: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        guard let port else { return "\(scheme)://\(hostPart)" }
        return "\(scheme)://\(hostPart):\(port)"
    }

    /// The URL users type, normalized (`https://host/prefix`).
    public var description: String { origin + pathPrefix }

    /// Root of the REST API, `…/api/v4`.
    public var apiRoot: String { origin + pathPrefix + "/api/v4" }

    /// Host with a port when it is not the scheme's default: the key glab uses for its hosts.
    public var hostKey: String {
        guard let port, port != (scheme == "https" ? 443 : 80) else { return host }
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    public var isLoopback: Bool { LoopbackHost.contains(host) }

    /// The server a URL names, when it was pasted from `CI_API_V4_URL`: `https://host/prefix/api/v4`
    /// (with or without a trailing slash) is the server `https://host/prefix`, since ciauth adds
    /// `/api/v4` itself. Every place that reads a server URL — flags, `CIAUTH_SERVER`,
    /// `GITLAB_HOST`, config.toml, glab's config, verify's pins, a gate policy — goes through here.
    /// Anything else is returned as given.
    public static func baseURL(_ text: String) -> String {
        guard namesAPIRoot(text) else { return text }
        var url = text.trimmingCharacters(in: .whitespaces)
        while url.hasSuffix("/") { url.removeLast() }
        url.removeLast(apiPath.count)
        return url
    }

    /// The URL ends in `/api/v4` (a pasted `CI_API_V4_URL`).
    public static func namesAPIRoot(_ text: String) -> Bool {
        var url = Substring(text.trimmingCharacters(in: .whitespaces))
        while url.hasSuffix("/") { url.removeLast() }
        guard url.hasSuffix(apiPath), let schemeEnd = url.range(of: "://") else { return false }
        // The path, not the host: `https://api/v4` has no path to remove.
        return url[schemeEnd.upperBound...].dropLast(apiPath.count).contains { $0 != "/" }
            && url[schemeEnd.upperBound...].dropLast(apiPath.count).allSatisfy { $0 != "?" && $0 != "#" }
    }

    private static let apiPath = "/api/v4"
}

enum LoopbackHost {
    static func contains(_ host: String) -> Bool {
        let lowered = host.lowercased()
        if lowered == "localhost" || lowered == "::1" || lowered == "0:0:0:0:0:0:0:1" { return true }
        let octets = lowered.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets[0] == "127" else { return false }
        return octets.allSatisfy { octet in
            octet.count <= 3 && octet.allSatisfy(\.isASCIIDigit) && (Int(octet).map { $0 <= 255 } ?? false)
        }
    }
}

enum ServerURLParser {
    struct Parts {
        var scheme: String
        var host: String
        var port: Int?
        var path: String
    }

    static func parse(_ text: String) throws(GitLabError) -> Parts {
        func invalid(_ why: String) -> GitLabError {
            GitLabError(.invalidServerURL, hint: "server URL \(why); expected https://host[:port][/path]")
        }
        guard let schemeEnd = text.range(of: "://") else { throw invalid("has no scheme") }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "https" || scheme == "http" else { throw invalid("must use https") }
        let rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        let path = try normalizedPath(String(rest[authorityEnd...]), invalid: invalid)
        if authority.contains("@") { throw invalid("must not contain user information") }
        let (host, port) = try splitHostPort(Substring(authority), invalid: invalid)
        return Parts(scheme: scheme, host: host, port: port, path: path)
    }

    private static func splitHostPort(
        _ authority: Substring, invalid: (String) -> GitLabError
    ) throws(GitLabError) -> (String, Int?) {
        var hostPart = authority
        var portPart: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw invalid("has an unterminated IPv6 literal") }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw invalid("has garbage after the IPv6 literal") }
                portPart = after.dropFirst()
            }
            guard !hostPart.isEmpty, hostPart.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                throw invalid("has an invalid IPv6 literal")
            }
        } else if let colon = authority.firstIndex(of: ":") {
            hostPart = authority[..<colon]
            portPart = authority[authority.index(after: colon)...]
        }
        guard !hostPart.isEmpty else { throw invalid("has no host") }
        if !authority.hasPrefix("[") {
            let allowed = hostPart.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
            guard allowed, !hostPart.hasPrefix("."), !hostPart.hasPrefix("-") else { throw invalid("has an invalid host") }
        }
        var port: Int?
        if let portPart {
            guard !portPart.isEmpty, portPart.count <= 5, portPart.allSatisfy(\.isASCIIDigit),
                let value = Int(portPart), (1...65535).contains(value)
            else { throw invalid("has an invalid port") }
            port = value
        }
        return (hostPart.lowercased(), port)
    }

    private static func normalizedPath(
        _ path: String, invalid: (String) -> GitLabError
    ) throws(GitLabError) -> String {
        if path.contains("?") || path.contains("#") { throw invalid("must not contain a query or fragment") }
        let segments = path.split(separator: "/")
        for segment in segments {
            let ok = segment.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-._~".contains($0)) }
            guard ok, segment != ".", segment != ".." else { throw invalid("has an invalid path segment") }
        }
        return segments.isEmpty ? "" : "/" + segments.joined(separator: "/")
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
