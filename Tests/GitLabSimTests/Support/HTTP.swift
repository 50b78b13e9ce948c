import AsyncHTTPClient
import Foundation
import GitLabSim
import NIOCore
import NIOHTTP1

/// A response as the tests look at it.
struct HTTPResult {
    var status: Int
    var headers: HTTPHeaders
    var body: Data

    var text: String { String(decoding: body, as: UTF8.self) }
    var json: JSONValue? { JSONValue.parse(body) }

    func header(_ name: String) -> String? { headers.first(name: name) }

    /// The `message` (or `error`) of a GitLab error body.
    var message: String? { json?["message"]?.stringValue ?? json?["error"]?.stringValue }
}

/// Plain HTTP against the simulator over loopback (AsyncHTTPClient, no GitLab knowledge).
struct TestHTTP {
    let baseURL: String
    var client: HTTPClient { .shared }

    func get(_ path: String, token: String? = nil, headers: [(String, String)] = []) async throws -> HTTPResult {
        try await send("GET", path, headers: auth(token) + headers)
    }

    func post(_ path: String, token: String? = nil, json: String? = nil, form: String? = nil, headers: [(String, String)] = []) async throws -> HTTPResult {
        var all = auth(token) + headers
        var body: String?
        if let json {
            all.append(("Content-Type", "application/json"))
            body = json
        } else if let form {
            all.append(("Content-Type", "application/x-www-form-urlencoded"))
            body = form
        }
        return try await send("POST", path, headers: all, body: body)
    }

    func delete(_ path: String, token: String? = nil) async throws -> HTTPResult {
        try await send("DELETE", path, headers: auth(token))
    }

    func put(_ path: String, json: String) async throws -> HTTPResult {
        try await send("PUT", path, headers: [("Content-Type", "application/json")], body: json)
    }

    func send(
        _ method: String, _ path: String, headers: [(String, String)] = [], body: String? = nil,
        timeout: TimeAmount = .seconds(30)
    ) async throws -> HTTPResult {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await client.execute(request, timeout: timeout)
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return HTTPResult(status: Int(response.status.code), headers: response.headers, body: Data(bytes.readableBytesView))
    }

    private func auth(_ token: String?) -> [(String, String)] {
        token.map { [("PRIVATE-TOKEN", $0)] } ?? []
    }
}

extension JSONValue {
    var keys: [String] {
        if case .object(let pairs) = self { return pairs.map(\.0) }
        return []
    }

    var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    var isNull: Bool { self == .null }
}
