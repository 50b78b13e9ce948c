import Foundation
import GitLab
import NetworkTestSupport
import Testing

/// A server (or whatever answers in its place) that misbehaves at the HTTP level: every
/// request ends within its time limit, reads at most the size limit, and never carries the
/// token anywhere else.
@Suite(.serialized) struct HostileTransportTests {
    static let alice = #"{"id":2,"username":"alice","name":"Alice","state":"active"}"#

    private func client(_ server: RawHTTPServer, timeout: Duration = .seconds(2), retries: Int = 0) throws -> GitLabClient {
        var options = GitLabClientOptions.fastTest
        options.requestTimeout = timeout
        options.retry.maxRetries = retries
        return try GitLabClient(server: try GitLabServer(server.url), credentials: .accessToken("secret-token"), options: options)
    }

    private func withRaw<T>(
        _ script: @escaping @Sendable (Int, String) -> [RawHTTPServer.Step], timeout: Duration = .seconds(2), retries: Int = 0,
        _ body: (RawHTTPServer, GitLabClient) async throws -> T
    ) async throws -> T {
        let server = try RawHTTPServer(script)
        let client = try client(server, timeout: timeout, retries: retries)
        defer { server.shutdown() }
        do {
            let result = try await body(server, client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// Headers at once, then the body one byte at a time, each within the gap between reads:
    /// the request timeout must bound the whole request, not the silence between two bytes.
    @Test(arguments: [true, false])
    func drippedAnswerIsBoundedByTheRequestTimeout(_ inBody: Bool) async throws {
        try await withRaw({ _, _ in
            inBody
                ? [.text(rawHead(contentLength: 600)), .drip(count: 600, milliseconds: 200)]
                : [.text("HTTP/1.1 200 OK\r\nX-Padding: "), .drip(count: 600, milliseconds: 200)]
        }) { _, client in
            let started = ContinuousClock.now
            let error = await expectGitLabError { _ = try await client.currentUser() }
            let elapsed = ContinuousClock.now - started
            #expect(error?.code == .timeout, "\(String(describing: error))")
            // 2 s allowed, 120 s of dripping otherwise; the margin is for a heavily loaded machine.
            #expect(elapsed < .seconds(60), "\(elapsed)")
        }
    }

    @Test func serverThatNeverAnswersTimesOut() async throws {
        try await withRaw({ _, _ in [.pause(milliseconds: 60000)] }) { _, client in
            let started = ContinuousClock.now
            let error = await expectGitLabError { _ = try await client.currentUser() }
            #expect(error?.code == .timeout, "\(String(describing: error))")
            // 2 s allowed; the margin is for a loaded machine.
            #expect(ContinuousClock.now - started < .seconds(30))
        }
    }

    /// A body that announces 2 GiB is refused from its length; one that streams without a length
    /// is cut at the size limit. Neither is buffered, and neither is asked for again.
    @Test(arguments: [true, false])
    func hugeBodyIsNotBuffered(_ announced: Bool) async throws {
        let size = 2 << 30
        try await withRaw({ _, _ in
            let head = announced
                ? rawHead(contentLength: size)
                : rawHead(contentLength: nil, headers: ["Content-Type: application/json", "Connection: close"])
            return [.text(head), .text("["), .stream(count: size, byte: UInt8(ascii: " "))]
        }, timeout: .seconds(30), retries: 3) { server, client in
            let error = await expectGitLabError { _ = try await client.currentUser() }
            #expect(error?.code == .malformedResponse, "\(String(describing: error))")
            #expect(error?.hint?.contains("larger than") == true, "\(String(describing: error))")
            #expect(server.requests.count == 1)
            // The client stops reading at its 16 MiB limit (kernel buffers add a few MiB).
            #expect(server.bytesStreamed < 64 << 20, "\(server.bytesStreamed)")
        }
    }

    /// A header without end: read up to NIO's limit, never into memory without bound, named as
    /// an answer that is not HTTP (it was "failed unexpectedly", and asked for again).
    @Test func endlessHeaderIsRefused() async throws {
        try await withRaw({ _, _ in
            [.text("HTTP/1.1 200 OK\r\nX-Padding: "), .stream(count: 2 << 30, byte: UInt8(ascii: "a"))]
        }, timeout: .seconds(20), retries: 3) { server, client in
            let started = ContinuousClock.now
            let error = await expectGitLabError { _ = try await client.currentUser() }
            #expect(error?.code == .malformedResponse, "\(String(describing: error))")
            #expect(ContinuousClock.now - started < .seconds(10))
            #expect(server.bytesStreamed < 64 << 20, "\(server.bytesStreamed)")
            #expect(server.requests.count == 1)
        }
    }

    @Test func bodyShorterThanItsLengthIsAnError() async throws {
        let body = "[" + Self.alice + "]"
        try await withRaw({ _, _ in [.text(rawHead(contentLength: body.utf8.count + 50)), .text(body)] }) { _, client in
            let error = await expectGitLabError { _ = try await client.currentUser() }
            #expect(error?.code == .connectionDropped, "\(String(describing: error))")
        }
    }

    /// More bytes than `Content-Length` said, shaped as a second answer: they must not become
    /// the answer to the next request on the same connection.
    @Test func bytesBeyondTheLengthNeverAnswerTheNextRequest() async throws {
        let mallory = #"{"id":66,"username":"mallory","name":"M","state":"active"}"#
        try await withRaw({ index, _ in
            guard index == 0 else { return [.text(rawHead(contentLength: Self.alice.utf8.count)), .text(Self.alice)] }
            return [
                .text(rawHead(contentLength: Self.alice.utf8.count, headers: ["Content-Type: application/json", "Connection: keep-alive"])),
                .text(Self.alice),
                .text(rawHead(contentLength: mallory.utf8.count) + mallory),
                .pause(milliseconds: 3000),
            ]
        }, retries: 1) { _, client in
            #expect(try await client.currentUser().username == "alice")
            try await Task.sleep(for: .milliseconds(200))
            let second = try? await client.currentUser()
            #expect(second?.username == "alice", "\(String(describing: second))")
        }
    }

    /// A redirect is never followed, to another host or the same one: the token goes nowhere else.
    @Test func redirectsAreNeverFollowed() async throws {
        let elsewhere = try RawHTTPServer { _, _ in [.text(rawHead(contentLength: Self.alice.utf8.count)), .text(Self.alice)] }
        defer { elsewhere.shutdown() }
        for status in [301, 302, 303, 307, 308] {
            for target in [elsewhere.url + "/api/v4/user", "/api/v4/user?again=1"] {
                try await withRaw({ _, _ in
                    [.text(rawHead(status: status, contentLength: 0, headers: ["Location: \(target)"]))]
                }, retries: 3) { server, client in
                    let error = await expectGitLabError { _ = try await client.currentUser() }
                    #expect(error?.code == .redirected && error?.status == status, "\(String(describing: error))")
                    #expect(server.requests.count == 1)
                }
            }
        }
        #expect(elsewhere.requests.isEmpty)
    }

    /// `Retry-After` in the past, negative or garbage: the normal backoff; far away (seconds or
    /// a date): fail at once with GitLab's answer.
    @Test func retryAfterIsBounded() async throws {
        let farDate = "Fri, 01 Jan 2100 00:00:00 GMT"
        let values = [("-5", true), ("soon", true), ("Thu, 01 Jan 1970 00:00:00 GMT", true), ("999999", false), (farDate, false)]
        for (status, (value, retried)) in [429, 503].flatMap({ status in values.map { (status, $0) } }) {
            try await withRaw({ index, _ in
                guard index == 0 else { return [.text(rawHead(contentLength: Self.alice.utf8.count)), .text(Self.alice)] }
                return [.text(rawHead(status: status, contentLength: 0, headers: ["Retry-After: \(value)"]))]
            }, retries: 3) { server, client in
                let started = ContinuousClock.now
                let user = try? await client.currentUser()
                #expect((user != nil) == retried, "\(status) \(value)")
                #expect(server.requests.count == (retried ? 2 : 1), "\(status) \(value)")
                #expect(ContinuousClock.now - started < .seconds(10))
            }
        }
    }

    /// `ciauth verify`'s transport (TLS set up by ciauth, one connection per request) holds the
    /// same bounds: the whole answer within the request timeout, the body within the size limit.
    @Test func checkedTransportBoundsTimeAndSize() async throws {
        let pki = try TestPKI.make()
        defer { pki.remove() }
        for dripping in [true, false] {
            let raw = try RawHTTPServer { _, _ in
                dripping
                    ? [.text(rawHead(contentLength: 600)), .drip(count: 600, milliseconds: 200)]
                    : [.text(rawHead(contentLength: nil)), .text("["), .stream(count: 2 << 30, byte: UInt8(ascii: " "))]
            }
            let tls = try await TLSServer.start(leaf: try pki.leaf("server", subjectAltNames: ["IP:127.0.0.1"]), upstreamPort: raw.port)
            var options = GitLabClientOptions.fastTest
            options.caFile = pki.caFile
            options.checksServerIdentity = true
            options.requestTimeout = .seconds(2)
            options.retry.maxRetries = dripping ? 0 : 3
            let client = try GitLabClient(
                server: try GitLabServer("https://127.0.0.1:\(tls.port)"), credentials: .accessToken("t"), options: options)
            let started = ContinuousClock.now
            let error = await expectGitLabError { _ = try await client.currentUser() }
            // 2 s allowed, 120 s of dripping otherwise; the margin is for a heavily loaded machine.
            #expect(ContinuousClock.now - started < .seconds(60))
            #expect(error?.code == (dripping ? .timeout : .malformedResponse), "\(String(describing: error))")
            #expect(raw.requests.count == 1)
            try await client.shutdown()
            await tls.shutdown()
            raw.shutdown()
        }
    }

    // MARK: Pagination

    private static func page(_ next: String) -> [RawHTTPServer.Step] {
        let body = #"[{"id":2,"username":"alice","name":"Alice","state":"active","access_level":30}]"#
        return [.text(rawHead(contentLength: body.utf8.count, headers: ["Content-Type: application/json", next])), .text(body)]
    }

    /// A next page that points back to an earlier one would read forever (up to the page cap,
    /// 500 requests): it is refused when first seen.
    @Test func pageLoopsAreRefused() async throws {
        let loops: [@Sendable (String, String) -> String] = [
            { url, head in head.contains("page=2") ? "Link: <\(url)/api/v4/groups/1/members/all?page=1&per_page=100>; rel=\"next\"" : "Link: <\(url)/api/v4/groups/1/members/all?page=2&per_page=100>; rel=\"next\"" },
            { _, head in head.contains("page=2") ? "X-Next-Page: 1" : "X-Next-Page: 2" },
            { _, _ in "X-Next-Page: 1" },
        ]
        for loop in loops {
            let box = URLBox()
            try await withRaw({ _, head in Self.page(loop(box.url, head)) }) { server, client in
                box.url = server.url
                let error = await expectGitLabError { _ = try await client.members(of: .group("1")) }
                #expect(error?.code == .malformedResponse, "\(String(describing: error))")
                #expect(server.requests.count <= 3, "\(server.requests.count)")
            }
        }
    }
}

extension HostileTransportTests {
    /// A next-page link to another resource on the same server (another user's keys) is not the
    /// next page of this listing: it is never read as part of it.
    @Test func nextPageLinkToAnotherResourceIsNotFollowed() async throws {
        let box = URLBox()
        let key = #"[{"id":71,"title":"k","created_at":null,"expires_at":null,"usage_type":"signing","key":"\#(TestKeys.sk1)"}]"#
        try await withRaw({ _, _ in
            let link = "Link: <\(box.url)/api/v4/users/66/keys?page=2&per_page=100>; rel=\"next\""
            return [.text(rawHead(contentLength: key.utf8.count, headers: ["Content-Type: application/json", link])), .text(key)]
        }) { server, client in
            box.url = server.url
            let error = await expectGitLabError { _ = try await client.keys(ofUser: "2") }
            #expect(error?.code == .malformedResponse, "\(String(describing: error))")
            #expect(server.requests.count == 1 && !server.requests.contains { $0.contains("/users/66/") })
        }
    }
}

private final class URLBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value = ""
    var url: String {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
