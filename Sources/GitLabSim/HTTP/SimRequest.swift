import Foundation

/// One HTTP request as the API handlers see it.
struct SimRequest: Sendable {
    var method: String
    /// The path as sent (still percent-encoded), without the query.
    var rawPath: String
    /// Raw path segments; handlers decode the ones they use.
    var segments: [String]
    var query: [(String, String)]
    var headers: [(String, String)]
    var body: Data

    init(method: String, uri: String, headers: [(String, String)], body: Data) {
        self.method = method
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        rawPath = String(parts.first ?? "")
        segments = rawPath.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        query = parts.count > 1 ? FormEncoding.decode(String(parts[1])) : []
        self.headers = headers
        self.body = body
    }

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    func queryValue(_ name: String) -> String? {
        query.first { $0.0 == name }?.1
    }

    func queryValues(_ name: String) -> [String] {
        query.filter { $0.0 == name || $0.0 == name + "[]" }.map(\.1)
    }

    /// Query and body parameters together, as Grape merges them.
    func parameters() throws(APIError) -> RequestParameters {
        let type = header("content-type")?.lowercased() ?? ""
        if body.isEmpty { return RequestParameters(json: nil, form: query) }
        if type.hasPrefix("application/json") {
            guard let json = JSONValue.parse(body), case .object = json else {
                throw APIError(status: 400, body: .object([("error", .string("The provided content-type 'application/json' is not valid JSON"))]))
            }
            return RequestParameters(json: json, form: query)
        }
        let text = String(decoding: body, as: UTF8.self)
        return RequestParameters(json: nil, form: query + FormEncoding.decode(text))
    }
}

/// `application/x-www-form-urlencoded` and query strings.
enum FormEncoding {
    static func decode(_ text: String) -> [(String, String)] {
        text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (unescape(String(kv[0])), kv.count > 1 ? unescape(String(kv[1])) : "")
        }
    }

    static func unescape(_ text: String) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    static func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// Parameters from a JSON body or form fields (query included), read with Grape's strictness.
struct RequestParameters {
    var json: JSONValue?
    var form: [(String, String)]

    /// A string parameter; a JSON value of another type is "invalid", as Grape's coercion of
    /// arrays and objects would be (numbers are not coerced here: strict reading).
    func string(_ name: String) throws(APIError) -> String? {
        if let value = json?[name] {
            switch value {
            case .null: return nil
            case .string(let s): return s
            default: throw .grape("\(name) is invalid")
            }
        }
        return form.first { $0.0 == name }?.1
    }

    /// `job_variables_attributes` as a JSON array of `{key, value}` or as form fields
    /// `job_variables_attributes[][key]` / `job_variables_attributes[N][key]`. Nil when absent.
    func jobVariables() throws(APIError) -> [JobVariable]? {
        let name = "job_variables_attributes"
        if let value = json?[name] {
            if case .null = value { return nil }
            guard let items = value.arrayValue else { throw .grape("\(name) is invalid") }
            return try items.enumerated().map { (index, item) throws(APIError) -> JobVariable in
                guard case .object = item else { throw .grape("\(name) is invalid") }
                return try variable(key: item["key"], value: item["value"], index: index)
            }
        }
        let fields = form.filter { $0.0.hasPrefix(name + "[") }
        if fields.isEmpty { return nil }
        return try groupedFormItems(fields, prefix: name).enumerated().map { (index, item) throws(APIError) in
            try variable(key: item["key"].map(JSONValue.string), value: item["value"].map(JSONValue.string), index: index)
        }
    }

    private func variable(key: JSONValue?, value: JSONValue?, index: Int) throws(APIError) -> JobVariable {
        let prefix = "job_variables_attributes[\(index)]"
        guard let key, key != .null else { throw .grape("\(prefix)[key] is missing") }
        guard let value, value != .null else { throw .grape("\(prefix)[value] is missing") }
        guard let keyText = key.stringValue else { throw .grape("\(prefix)[key] is invalid") }
        guard let valueText = value.stringValue else { throw .grape("\(prefix)[value] is invalid") }
        return JobVariable(key: keyText, value: valueText)
    }

    /// Rack's nesting: `[N][field]` groups by N; `[][field]` starts a new item when the field repeats.
    private func groupedFormItems(_ fields: [(String, String)], prefix: String) throws(APIError) -> [[String: String]] {
        var items: [[String: String]] = []
        var indexed: [Int: [String: String]] = [:]
        for (name, value) in fields {
            let rest = name.dropFirst(prefix.count)
            guard rest.hasPrefix("["), let close = rest.firstIndex(of: "]") else { throw .grape("\(prefix) is invalid") }
            let index = rest[rest.index(after: rest.startIndex)..<close]
            let field = rest[rest.index(after: close)...].trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            if index.isEmpty {
                if items.isEmpty || items[items.count - 1][field] != nil { items.append([:]) }
                items[items.count - 1][field] = value
            } else if let number = Int(index) {
                indexed[number, default: [:]][field] = value
            } else {
                throw .grape("\(prefix) is invalid")
            }
        }
        return items + indexed.keys.sorted().compactMap { indexed[$0] }
    }
}
