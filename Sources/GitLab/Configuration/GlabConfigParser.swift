/// Reads the one shape of glab's `config.yml` that ciauth needs:
///
/// ```yaml
/// host: gitlab.example.com
/// hosts:
///   gitlab.example.com:
///     token: glpat-…
///     api_protocol: https
///     api_host: gitlab.example.com
///     is_oauth2: true
/// ```
///
/// Not a YAML parser: block mappings of plain or quoted scalars with space indentation only.
/// Anything else (tabs, flow collections, anchors, tags, block scalars, duplicate keys) in a
/// value we use is rejected; other top-level sections are skipped line by line.
public struct GlabConfig: Sendable, Equatable {
    public struct Host: Sendable, Equatable {
        public var token: String?
        public var apiProtocol: String?
        public var apiHost: String?
        public var isOAuth2: Bool
    }

    /// Default host (`host:` at top level).
    public var defaultHost: String?
    /// Entries of the `hosts:` section by host key (`host` or `host:port`).
    public var hosts: [String: Host]

    public init(parsing text: String) throws(GitLabError) {
        var parser = GlabConfigParser()
        try parser.parse(text)
        defaultHost = parser.defaultHost
        hosts = parser.hosts
    }
}

struct GlabConfigParser {
    var defaultHost: String?
    var hosts: [String: GlabConfig.Host] = [:]
    private var section: Section = .none
    private var currentHost: String?
    private var hostIndent: Int?
    private var fieldIndent: Int?
    private var seenTopLevel: Set<String> = []
    private var seenFields: Set<String> = []

    private enum Section { case none, hosts, other }

    mutating func parse(_ text: String) throws(GitLabError) {
        for (number, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            try parseLine(rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine, number: number + 1)
        }
    }

    private mutating func parseLine(_ line: Substring, number: Int) throws(GitLabError) {
        let indent = line.prefix(while: { $0 == " " }).count
        let content = line.dropFirst(indent)
        if content.isEmpty || content.hasPrefix("#") { return }
        if content.hasPrefix("\t") || line.prefix(indent + 1).contains("\t") {
            throw Self.error(number, "tab in indentation")
        }
        if indent == 0 { return try topLevel(content, number: number) }
        switch section {
        case .other, .none:
            guard section == .other else { throw Self.error(number, "indented line outside a section") }
        case .hosts:
            try hostsLine(content, indent: indent, number: number)
        }
    }

    private mutating func topLevel(_ content: Substring, number: Int) throws(GitLabError) {
        if content == "---" { return }
        let (key, value) = try Self.keyValue(content, number: number)
        guard seenTopLevel.insert(key).inserted else { throw Self.error(number, "duplicate key \(key)") }
        currentHost = nil
        switch key {
        case "hosts":
            guard value == nil else { throw Self.error(number, "hosts must be a mapping") }
            section = .hosts
        case "host":
            section = .none
            defaultHost = try Self.scalar(value, number: number)
        default:
            section = value == nil ? .other : .none
        }
    }

    private mutating func hostsLine(_ content: Substring, indent: Int, number: Int) throws(GitLabError) {
        if hostIndent == nil { hostIndent = indent }
        if indent == hostIndent {
            let (key, value) = try Self.keyValue(content, number: number)
            guard value == nil else { throw Self.error(number, "host \(key) must be a mapping") }
            guard hosts[key] == nil else { throw Self.error(number, "duplicate host \(key)") }
            hosts[key] = GlabConfig.Host(token: nil, apiProtocol: nil, apiHost: nil, isOAuth2: false)
            currentHost = key
            fieldIndent = nil
            seenFields = []
            return
        }
        guard let host = currentHost, let hostIndent, indent > hostIndent else {
            throw Self.error(number, "unexpected indentation in hosts")
        }
        if fieldIndent == nil { fieldIndent = indent }
        guard indent == fieldIndent else { throw Self.error(number, "unexpected indentation under \(host)") }
        let (key, value) = try Self.keyValue(content, number: number)
        guard seenFields.insert(key).inserted else { throw Self.error(number, "duplicate key \(key)") }
        try assign(key, value, to: host, number: number)
    }

    private mutating func assign(_ key: String, _ value: Substring?, to host: String, number: Int) throws(GitLabError) {
        switch key {
        case "token": hosts[host]?.token = try Self.scalar(value, number: number)
        case "api_protocol": hosts[host]?.apiProtocol = try Self.scalar(value, number: number)
        case "api_host": hosts[host]?.apiHost = try Self.scalar(value, number: number)
        case "is_oauth2":
            let flag = try Self.scalar(value, number: number)
            guard flag == nil || flag == "true" || flag == "false" else {
                throw Self.error(number, "is_oauth2 must be true or false")
            }
            hosts[host]?.isOAuth2 = flag == "true"
        default:
            // Other per-host settings (git_protocol, user, …) are not ours; only flat scalars allowed.
            guard value != nil else { throw Self.error(number, "nested mapping under a host is not supported") }
        }
    }

    /// Splits `key: value` / `key:`; value nil for an empty value (a mapping follows or null).
    static func keyValue(_ content: Substring, number: Int) throws(GitLabError) -> (String, Substring?) {
        guard let colon = content.firstIndex(of: ":") else { throw error(number, "expected key: value") }
        let key = content[..<colon].trimmingSpaces
        guard !key.isEmpty, !key.contains(where: { "\"'{}[]&*!|>#".contains($0) }) else {
            throw error(number, "unsupported key syntax")
        }
        let after = content[content.index(after: colon)...]
        guard after.isEmpty || after.hasPrefix(" ") else {
            // `host:port:` style keys: keep the colon inside the key.
            let (innerKey, value) = try keyValue(after, number: number)
            return (key + ":" + innerKey, value)
        }
        let value = Substring(after.trimmingSpaces)
        if value.isEmpty || value.hasPrefix("#") { return (key, nil) }
        return (key, value)
    }

    /// A plain, single- or double-quoted scalar; nil for an empty/null value.
    static func scalar(_ raw: Substring?, number: Int) throws(GitLabError) -> String? {
        guard let raw else { return nil }
        if raw.hasPrefix("\"") { return try quoted(raw, quote: "\"", number: number) }
        if raw.hasPrefix("'") { return try quoted(raw, quote: "'", number: number) }
        guard let first = raw.first, !"{[&*!|>%@`".contains(first) else {
            throw error(number, "unsupported YAML value syntax")
        }
        var value = raw
        if let comment = raw.range(of: " #") { value = raw[..<comment.lowerBound] }
        let text = value.trimmingSpaces
        return text == "null" || text == "~" ? nil : text
    }

    private static func quoted(_ raw: Substring, quote: Character, number: Int) throws(GitLabError) -> String {
        var result = ""
        var index = raw.index(after: raw.startIndex)
        while index < raw.endIndex {
            let character = raw[index]
            index = raw.index(after: index)
            if character == quote {
                if quote == "'", index < raw.endIndex, raw[index] == "'" {
                    result.append("'")
                    index = raw.index(after: index)
                    continue
                }
                let rest = raw[index...].trimmingSpaces
                guard rest.isEmpty || rest.hasPrefix("#") else { throw error(number, "text after a quoted value") }
                return result
            }
            if character == "\\" && quote == "\"" {
                guard index < raw.endIndex, raw[index] == "\\" || raw[index] == "\"" else {
                    throw error(number, "unsupported escape in a quoted value")
                }
                result.append(raw[index])
                index = raw.index(after: index)
                continue
            }
            result.append(character)
        }
        throw error(number, "unterminated quoted value")
    }

    static func error(_ line: Int, _ why: String) -> GitLabError {
        GitLabError(.invalidConfigFile, hint: "glab config.yml line \(line): \(why)")
    }
}
