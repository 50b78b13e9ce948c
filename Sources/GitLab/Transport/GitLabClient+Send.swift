import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

extension GitLabClient {
    /// Sends a request, repeating idempotent ones on 429/500/502/503/504 and connection failures.
    /// Returns only 2xx responses; everything else becomes a `GitLabError`.
    func send(_ request: GitLabRequest, url: String? = nil) async throws(GitLabError) -> GitLabResponse {
        var attempt = 0
        while true {
            let outcome = await attemptOnce(request, url: url, attempt: attempt)
            let delay: Duration?
            switch outcome {
            case .success(let response) where (200..<300).contains(response.status):
                return response
            case .success(let response):
                let error = errorFor(response, request: request)
                guard request.isIdempotent, attempt < options.retry.maxRetries,
                    RetryPolicy.retryableStatuses.contains(response.status)
                else { throw error }
                delay = options.retry.delay(attempt: attempt, retryAfterSeconds: error.retryAfterSeconds)
                guard delay != nil else { throw error }
            case .failure(let failure):
                // An answer larger than the limit would only be that large again.
                guard request.isIdempotent, attempt < options.retry.maxRetries,
                    ![.shutDown, .tlsFailure, .malformedResponse].contains(failure.error.code)
                else { throw failure.error }
                delay = options.retry.backoff(attempt: attempt)
            }
            if let delay {
                logger.debug("GitLab retry", metadata: ["attempt": "\(attempt + 1)", "wait_ms": "\(Int(delay.milliseconds))"])
                try? await Task.sleep(for: delay)
            }
            attempt += 1
        }
    }

    /// Sends without retrying; transport failures say whether the server may have acted.
    func attemptOnce(
        _ request: GitLabRequest, url: String? = nil, attempt: Int = 0
    ) async -> Result<GitLabResponse, TransportFailure> {
        let label = request.label(server)
        let started = ContinuousClock.now
        do {
            let response = try await exchange(request, url: url ?? requestURL(request))
            log(request, url: url, status: response.status, started: started, attempt: attempt)
            return .success(response)
        } catch {
            let failure = TransportFailure(error, request: label, server: server, caFileHint: options.caFileHint)
            log(request, url: url, status: nil, started: started, attempt: attempt, failure: failure.error.code.rawValue)
            return .failure(failure)
        }
    }

    /// One HTTP exchange, over the checked transport when the client has one.
    private func exchange(_ request: GitLabRequest, url: String) async throws -> GitLabResponse {
        if let checked {
            return try await checked.send(
                method: request.method, url: url, headers: headers(for: request), body: request.body,
                timeout: options.requestTimeout.timeAmount, maxBodyBytes: options.maxResponseBytes)
        }
        var httpRequest = HTTPClientRequest(url: url)
        httpRequest.method = request.method
        httpRequest.headers = headers(for: request)
        if let body = request.body { httpRequest.body = .bytes(ByteBuffer(bytes: body)) }
        let deadline = ContinuousClock.now + options.requestTimeout
        let response = try await http.execute(httpRequest, timeout: options.requestTimeout.timeAmount)
        let body = try await Self.collect(response.body, upTo: options.maxResponseBytes, until: deadline)
        return GitLabResponse(status: Int(response.status.code), headers: response.headers, body: body)
    }

    /// The body, read before `deadline`: async-http-client's own deadline ends with the response
    /// head, and its read timeout only bounds the silence between two reads, so a server sending
    /// one byte at a time would hold the request for as long as it likes.
    private static func collect(
        _ body: HTTPClientResponse.Body, upTo limit: Int, until deadline: ContinuousClock.Instant
    ) async throws -> [UInt8] {
        try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
            group.addTask {
                var buffer = try await body.collect(upTo: limit)
                return buffer.readBytes(length: buffer.readableBytes) ?? []
            }
            group.addTask {
                try await Task.sleep(until: deadline, clock: .continuous)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let bytes = first else { throw HTTPClientError.deadlineExceeded }
            return bytes
        }
    }

    func errorFor(_ response: GitLabResponse, request: GitLabRequest) -> GitLabError {
        let context = ErrorResponse.Context(
            request: request.label(server), resource: request.resource,
            isPlayWithVariables: request.isPlayWithVariables, secrets: secrets)
        if (300..<400).contains(response.status) {
            // Say where it points (origin only: a query could carry anything).
            let target = response.header("location").map(RequestLog.originOnly) ?? "nowhere"
            let base = ErrorResponse.error(status: response.status, headers: [], body: [], context: context)
            return GitLabError(
                .redirected, status: response.status, request: base.request, serverMessage: "redirect to \(target)",
                hint: base.hint)
        }
        let headers = response.headers.map { ($0.name, $0.value) }
        return ErrorResponse.error(status: response.status, headers: headers, body: response.body, context: context)
    }

    /// Decodes a JSON answer: it must say it is JSON (`Content-Type`) and be JSON as GitLab
    /// writes it (`StrictJSON`) before Foundation reads it.
    func decode<T: Decodable>(_ type: T.Type, from response: GitLabResponse, request: GitLabRequest) throws(GitLabError) -> T {
        guard let contentType = response.header("content-type"), Self.isJSON(contentType: contentType) else {
            let stated = response.header("content-type").map { Sanitizer.clean($0, secrets: []) } ?? "of no stated type"
            throw GitLabError(
                .malformedResponse, status: response.status, request: request.label(server),
                hint: "the answer is \(stated), not JSON as GitLab's API sends; is a proxy or portal answering for the server URL?")
        }
        do throws(StrictJSON.Violation) {
            try StrictJSON.check(response.body)
        } catch {
            throw GitLabError(
                .malformedResponse, status: response.status, request: request.label(server),
                serverMessage: error.detail, hint: "the answer is not JSON as GitLab writes it; is the server URL a GitLab instance?")
        }
        do {
            return try JSONDecoder().decode(type, from: Data(response.body))
        } catch {
            throw GitLabError(
                .malformedResponse, status: response.status, request: request.label(server),
                serverMessage: Sanitizer.clean(DecodingFailure.describe(error), secrets: secrets),
                hint: "the answer is not the JSON GitLab sends; is the server URL a GitLab instance?")
        }
    }

    /// `application/json` or a `…+json` type, parameters (`charset=utf-8`) aside.
    static func isJSON(contentType: String) -> Bool {
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingSpaces.lowercased() } ?? ""
        return mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json"))
    }

    var secrets: [String] { credentials.secret.map { [$0] } ?? [] }

    func requestURL(_ request: GitLabRequest) -> String {
        let base = server.apiRoot + request.path
        return request.query.isEmpty ? base : base + "?" + PercentEncoding.query(request.query)
    }

    private func headers(for request: GitLabRequest) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.reserveCapacity(5)
        headers.add(name: "Accept", value: "application/json")
        headers.add(name: "User-Agent", value: "ciauth")
        if request.body != nil { headers.add(name: "Content-Type", value: "application/json") }
        if !request.anonymous, let header = credentials.header { headers.add(name: header.name, value: header.value) }
        return headers
    }

    private func log(
        _ request: GitLabRequest, url: String?, status: Int?, started: ContinuousClock.Instant, attempt: Int,
        failure: String? = nil
    ) {
        guard logger.logLevel <= .debug else { return }
        let elapsed = (ContinuousClock.now - started).milliseconds
        var metadata: Logger.Metadata = [
            "method": "\(request.method.rawValue)",
            "path": "\(RequestLog.redactedTarget(url ?? requestURL(request), server: server))",
            "ms": "\(String(format: "%.1f", elapsed))",
        ]
        if let status { metadata["status"] = "\(status)" }
        if let failure { metadata["failure"] = "\(failure)" }
        if attempt > 0 { metadata["attempt"] = "\(attempt + 1)" }
        if let summary = request.bodySummary { metadata["body"] = "\(summary)" }
        if !request.anonymous, let header = credentials.header {
            metadata["auth"] = "\(header.name): [REDACTED]"
        }
        logger.debug("GitLab request", metadata: metadata)
    }
}

enum DecodingFailure {
    /// Where decoding failed, without echoing values.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "invalid JSON" }
        switch error {
        case .keyNotFound(let key, let context): return "missing field \(path(context.codingPath + [key]))"
        case .typeMismatch(_, let context): return "wrong type at \(path(context.codingPath))"
        case .valueNotFound(_, let context): return "null at \(path(context.codingPath))"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "invalid JSON" : "invalid value at \(path(context.codingPath))"
        @unknown default: return "invalid JSON"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}
