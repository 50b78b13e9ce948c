import Foundation

/// An HTTP proxy: from `HTTPS_PROXY`/`https_proxy`, honouring `NO_PROXY`/`no_proxy`, for commands
/// a person runs; from `--proxy` only for `ciauth verify`.
///
/// One client talks to one GitLab server, so the proxy decision is made once per client.
/// Loopback servers are never proxied. The proxy itself is reached with HTTP CONNECT; TLS to
/// GitLab runs end to end through it and checks the server URL's host (`CheckedTransport`).
public struct ProxySettings: Sendable, Hashable {
    public let host: String
    public let port: Int
    /// `user:password` from the proxy URL, sent as Basic proxy authorization.
    let credentials: (user: String, password: String)?
    let noProxy: [NoProxyRule]

    public static func == (lhs: ProxySettings, rhs: ProxySettings) -> Bool {
        lhs.host == rhs.host && lhs.port == rhs.port && lhs.noProxy == rhs.noProxy
            && lhs.credentials?.user == rhs.credentials?.user
            && lhs.credentials?.password == rhs.credentials?.password
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(host)
        hasher.combine(port)
    }

    /// Reads the proxy for https URLs from an environment; nil when none is set.
    /// The lowercase variable wins over the uppercase one, as in curl.
    public static func fromEnvironment(_ environment: [String: String]) throws(GitLabError) -> ProxySettings? {
        guard let url = nonEmpty(environment["https_proxy"]) ?? nonEmpty(environment["HTTPS_PROXY"]) else {
            return nil
        }
        let rules = NoProxyRule.parseList(nonEmpty(environment["no_proxy"]) ?? nonEmpty(environment["NO_PROXY"]) ?? "")
        return try parse(url, noProxy: rules, source: "HTTPS_PROXY")
    }

    /// Parses `http://[user:password@]host[:port]`; `source` names where it came from in errors.
    static func parse(_ url: String, noProxy: [NoProxyRule], source: String) throws(GitLabError) -> ProxySettings {
        func invalid(_ why: String) -> GitLabError {
            GitLabError(.invalidProxy, hint: "\(source) \(why); expected http://[user:password@]host[:port]")
        }
        var rest = Substring(url)
        if let schemeEnd = url.range(of: "://") {
            guard url[..<schemeEnd.lowerBound].lowercased() == "http" else { throw invalid("must use the http scheme") }
            rest = url[schemeEnd.upperBound...]
        }
        while rest.hasSuffix("/") { rest = rest.dropLast() }
        var credentials: (String, String)?
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            guard let colon = userInfo.firstIndex(of: ":") else { throw invalid("has a user without a password") }
            credentials = (
                percentDecoded(userInfo[..<colon]), percentDecoded(userInfo[userInfo.index(after: colon)...])
            )
            rest = rest[rest.index(after: at)...]
        }
        let parts: ServerURLParser.Parts
        do {
            parts = try ServerURLParser.parse("http://" + rest)
        } catch {
            throw invalid("has an invalid host or port")
        }
        guard parts.path.isEmpty else { throw invalid("must not have a path") }
        // curl's default proxy port.
        return ProxySettings(host: parts.host, port: parts.port ?? 1080, credentials: credentials, noProxy: noProxy)
    }

    /// `Basic …` for `Proxy-Authorization`, when the proxy URL has credentials.
    var basicAuthorization: String? {
        credentials.map { "Basic " + Data("\($0.user):\($0.password)".utf8).base64EncodedString() }
    }

    /// Whether requests to `server` go through this proxy.
    public func applies(to server: GitLabServer) -> Bool {
        if server.isLoopback { return false }
        let port = server.port ?? (server.scheme == "https" ? 443 : 80)
        return !noProxy.contains { $0.matches(host: server.host, port: port) }
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.trimmingSpaces.isEmpty else { return nil }
        return value.trimmingSpaces
    }

    private static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var index = text.utf8.startIndex
        let utf8 = text.utf8
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%"), let high = utf8.index(index, offsetBy: 1, limitedBy: utf8.endIndex),
                let low = utf8.index(index, offsetBy: 2, limitedBy: utf8.endIndex), low < utf8.endIndex,
                let value = UInt8(String(decoding: [utf8[high], utf8[low]], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                index = utf8.index(after: low)
            } else {
                bytes.append(byte)
                index = utf8.index(after: index)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// One `NO_PROXY` entry: `*`, a host, a domain suffix (`example.com`, `.example.com`,
/// `*.example.com`), an IP literal, each optionally with `:port`.
struct NoProxyRule: Sendable, Hashable {
    let pattern: String
    let port: Int?

    static func parseList(_ list: String) -> [NoProxyRule] {
        list.split(separator: ",").compactMap { entry in
            var text = entry.trimmingSpaces.lowercased()
            guard !text.isEmpty else { return nil }
            var port: Int?
            if let colon = text.lastIndex(of: ":"), !text.hasSuffix("]"), text.filter({ $0 == ":" }).count == 1 {
                port = Int(text[text.index(after: colon)...])
                text = String(text[..<colon])
            } else if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
                let after = text[text.index(after: close)...]
                if after.hasPrefix(":") { port = Int(after.dropFirst()) }
                text = String(text[text.index(after: text.startIndex)..<close])
            }
            if text.hasPrefix("*.") { text.removeFirst() }
            return NoProxyRule(pattern: text, port: port)
        }
    }

    func matches(host: String, port: Int) -> Bool {
        if let rulePort = self.port, rulePort != port { return false }
        if pattern == "*" { return true }
        let host = host.lowercased()
        if pattern.hasPrefix(".") { return host.hasSuffix(pattern) || host == pattern.dropFirst() }
        return host == pattern || host.hasSuffix("." + pattern)
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
