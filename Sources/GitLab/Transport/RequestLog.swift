/// Redaction for anything logged about a request.
public enum RequestLog {
    /// Query parameters whose values are secrets when present.
    static let secretParameters: Set<String> = ["private_token", "job_token", "access_token", "token"]

    /// Path and query below the server origin, with secret query values replaced.
    static func redactedTarget(_ url: String, server: GitLabServer) -> String {
        let target = url.hasPrefix(server.origin) ? String(url.dropFirst(server.origin.count)) : originOnly(url)
        guard let question = target.firstIndex(of: "?") else { return target }
        let query = target[target.index(after: question)...].split(separator: "&").map { pair -> String in
            let name = pair.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            return secretParameters.contains(name.lowercased()) ? "\(name)=[REDACTED]" : String(pair)
        }
        return target[..<question] + "?" + query.joined(separator: "&")
    }

    /// `scheme://host[:port]` of a URL, dropping path, query and user info.
    static func originOnly(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return "[relative URL]" }
        let rest = url[schemeEnd.upperBound...]
        let authority = rest.prefix(while: { $0 != "/" && $0 != "?" && $0 != "#" })
        let host = authority.split(separator: "@").last.map(String.init) ?? ""
        return url[..<schemeEnd.upperBound] + host
    }

    /// Header lines for display, secrets replaced: `PRIVATE-TOKEN: [REDACTED]`.
    public static func redactedHeaders(_ headers: [(name: String, value: String)]) -> [String] {
        let secretHeaders: Set<String> = ["private-token", "job-token", "authorization", "proxy-authorization", "cookie"]
        return headers.map { header in
            if secretHeaders.contains(header.name.lowercased()) {
                if header.name.lowercased() == "authorization", let space = header.value.firstIndex(of: " ") {
                    return "\(header.name): \(header.value[..<space]) [REDACTED]"
                }
                return "\(header.name): [REDACTED]"
            }
            return "\(header.name): \(header.value)"
        }
    }
}
