import Foundation

/// Turns a non-success HTTP answer into a `GitLabError`: GitLab's three JSON error shapes,
/// plain-text rate-limit bodies, HTML pages from proxies and garbage all end up as a typed
/// error with a sanitized message and a hint we write.
enum ErrorResponse {
    struct Context {
        var request: String
        /// What a 404 means for this request ("job 4711 of project 5").
        var resource: String
        var isPlayWithVariables: Bool = false
        var secrets: [String] = []
    }

    struct Extracted: Equatable {
        var message: String?
        var errorCode: String?
        var scope: String?
    }

    static func error(status: Int, headers: [(String, String)], body: [UInt8], context: Context) -> GitLabError {
        let extracted = extract(body: body, contentType: header("content-type", in: headers))
        let message = extracted.message.map { Sanitizer.clean($0, secrets: context.secrets) }
        let scope = extracted.scope ?? wwwAuthenticateScope(header("www-authenticate", in: headers))
        let insufficientScope = extracted.errorCode == "insufficient_scope"
            || (header("www-authenticate", in: headers)?.contains("insufficient_scope") ?? false)
        let retryAfter = RetryAfter.seconds(header("retry-after", in: headers), now: Date())
        let (code, hint) = classify(
            status: status, insufficientScope: insufficientScope, scope: scope, retryAfter: retryAfter,
            context: context)
        return GitLabError(
            code, status: status, request: context.request, serverMessage: message, hint: hint,
            requiredScope: insufficientScope ? scope : nil, retryAfterSeconds: retryAfter)
    }

    private static func classify(
        status: Int, insufficientScope: Bool, scope: String?, retryAfter: Double?, context: Context
    ) -> (GitLabError.Code, String) {
        switch status {
        case 400:
            return (.badRequest, "GitLab rejected the request as invalid")
        case 401:
            return (.unauthorized, "the token is missing, invalid, expired or revoked; create a new token")
        case 403 where insufficientScope:
            let needed = scope.map { "the `\($0)` scope" } ?? "a broader scope"
            return (.insufficientScope, "the token lacks \(needed); create a token with \(needed)")
        case 403 where context.isPlayWithVariables:
            return (
                .pipelineVariablesNotAllowed,
                "playing a job with variables needs the project setting \"Minimum role to use pipeline variables\" (Settings > CI/CD > Variables) to include your role; a Maintainer or Owner can change it, and you also need permission to run the job"
            )
        case 403:
            return (.forbidden, "the token's user is not allowed to do this (role, protected branch or protected environment)")
        case 404:
            return (.notFound, "\(context.resource) does not exist or is not visible to this token")
        case 409:
            return (.conflict, "GitLab reports a conflict; try again")
        case 429:
            let wait = retryAfter.map { " after \(Int($0.rounded(.up))) s" } ?? " later"
            return (.rateLimited, "GitLab rate-limited this client; try again\(wait)")
        case 300..<400:
            return (.redirected, "the server answered with a redirect, which is never followed with a token; check the server URL (moved project or wrong path prefix?)")
        case 500..<600:
            return (.serverError, "GitLab or a proxy in front of it failed; try again later")
        default:
            return (.unexpectedStatus, "unexpected answer from the server")
        }
    }

    static func extract(body: [UInt8], contentType: String?) -> Extracted {
        if body.isEmpty { return Extracted() }
        if let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] {
            return fromJSON(object)
        }
        let text = String(decoding: body.prefix(4096), as: UTF8.self)
        let isHTML = (contentType?.lowercased().contains("html") ?? false)
            || text.drop(while: \.isWhitespace).hasPrefix("<")
        if isHTML {
            let title = htmlTitle(text).map { ": \($0)" } ?? ""
            return Extracted(message: "HTML page instead of an API answer (a proxy or load balancer?)\(title)")
        }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\r" && $0 != "\t" }) {
            return Extracted(message: "unreadable response body (\(body.count) bytes)")
        }
        return Extracted(message: text)
    }

    private static func fromJSON(_ object: [String: Any]) -> Extracted {
        let scope = object["scope"] as? String
        if let message = object["message"] as? String { return Extracted(message: message, scope: scope) }
        if let fields = object["message"] as? [String: Any] {
            return Extracted(message: describeFields(fields), scope: scope)
        }
        if let error = object["error"] as? String {
            let description = (object["error_description"] as? String).map { ": \($0)" } ?? ""
            return Extracted(message: error + description, errorCode: error, scope: scope)
        }
        return Extracted(message: "JSON error without a message")
    }

    /// `{"key":["has already been taken"],"title":["is too long"]}` → `key has already been taken; title is too long`.
    private static func describeFields(_ fields: [String: Any]) -> String {
        fields.keys.sorted().map { field in
            let value = fields[field]
            let texts = (value as? [Any])?.compactMap { $0 as? String } ?? (value as? String).map { [$0] } ?? []
            if field == "error" || field == "base" { return texts.joined(separator: ", ") }
            return texts.isEmpty ? field : "\(field) \(texts.joined(separator: ", "))"
        }.joined(separator: "; ")
    }

    private static func htmlTitle(_ html: String) -> String? {
        guard let open = html.range(of: "<title>", options: .caseInsensitive),
            let close = html.range(of: "</title>", options: .caseInsensitive, range: open.upperBound..<html.endIndex)
        else { return nil }
        return String(html[open.upperBound..<close.lowerBound])
    }

    /// `Bearer realm="…", error="insufficient_scope", scope="api"` → `api`.
    static func wwwAuthenticateScope(_ value: String?) -> String? {
        guard let value, let range = value.range(of: "scope=\"") else { return nil }
        let rest = value[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        let scope = String(rest[..<end])
        return scope.isEmpty ? nil : scope
    }

    static func header(_ name: String, in headers: [(String, String)]) -> String? {
        headers.first { $0.0.lowercased() == name }?.1
    }
}

/// Makes server-provided text safe to show: printable characters only, whitespace collapsed,
/// known secrets replaced, length capped.
enum Sanitizer {
    static let maxLength = 300

    static func clean(_ text: String, secrets: [String]) -> String {
        var scrubbed = text
        for secret in secrets where !secret.isEmpty {
            scrubbed = scrubbed.replacingOccurrences(of: secret, with: "[REDACTED]")
        }
        var out = ""
        var lastWasSpace = false
        for scalar in scrubbed.unicodeScalars {
            let isSpace = scalar.properties.isWhitespace || scalar.value < 0x20 || scalar.value == 0x7F
            if isSpace {
                if !lastWasSpace && !out.isEmpty { out.unicodeScalars.append(" ") }
                lastWasSpace = true
                continue
            }
            if scalar.properties.generalCategory == .format || scalar.properties.generalCategory == .control { continue }
            lastWasSpace = false
            out.unicodeScalars.append(scalar)
        }
        if out.hasSuffix(" ") { out.removeLast() }
        guard out.count > maxLength else { return out }
        return String(out.prefix(maxLength)) + "…"
    }
}
