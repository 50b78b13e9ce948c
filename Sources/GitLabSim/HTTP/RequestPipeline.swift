import Foundation
import Logging

/// Per request: control endpoints bypass faults; API requests first meet the fault rules
/// (latency, then the fault's kind), then the router.
struct RequestPipeline: Sendable {
    let router: Router
    let control: ControlAPI
    let store: SimStore
    let requestLog: RequestLog
    let logger: Logger

    func process(_ request: SimRequest) async -> Outcome {
        if request.rawPath.hasPrefix("/-/sim/") || request.rawPath == "/-/sim" {
            return dated(.respond(await control.handle(request)))
        }
        let fault = takeFault(for: request)
        if let fault, fault.kind == .dropThenEffect {
            return dropThenEffect(request, fault: fault)
        }
        if let latency = fault?.latencyMs, latency > 0 {
            try? await Task.sleep(for: .milliseconds(latency))
        }
        let outcome = apply(fault, to: request)
        let record = requestLog.record(request, outcome: outcome, fault: fault)
        logger.debug("\(record.method) \(record.path) \(record.status.map(String.init) ?? "dropped")",
                     metadata: record.fault.map { ["fault": "\($0)"] } ?? [:])
        return dated(outcome)
    }

    /// The client's connection goes at once; the request still runs, `latencyMs` later.
    private func dropThenEffect(_ request: SimRequest, fault: SimFault) -> Outcome {
        requestLog.record(request, outcome: .drop, fault: fault)
        let router = router
        Task {
            try? await Task.sleep(for: .milliseconds(fault.latencyMs ?? 0))
            _ = router.handle(request)
        }
        return .drop
    }

    /// Every response carries the server's clock in `Date`, as GitLab's do.
    private func dated(_ outcome: Outcome) -> Outcome {
        let date = ("Date", SimClock.httpDate(store.withWorld { $0.now }))
        switch outcome {
        case .respond(var response):
            response.headers.append(date)
            return .respond(response)
        case .truncate(var response, let bytes):
            response.headers.append(date)
            return .truncate(response, bytes: bytes)
        case .drop:
            return .drop
        }
    }

    /// The first matching rule with hits left; its count goes down by one.
    private func takeFault(for request: SimRequest) -> SimFault? {
        store.withWorld { world in
            guard let index = world.faults.firstIndex(where: {
                $0.remaining.map { $0 > 0 } ?? true
                    && $0.rule.route.matches(method: request.method, path: request.rawPath, query: request.query)
            }) else { return nil }
            if let remaining = world.faults[index].remaining { world.faults[index].remaining = remaining - 1 }
            return world.faults[index].rule.fault
        }
    }

    private func apply(_ fault: SimFault?, to request: SimRequest) -> Outcome {
        guard let fault else { return .respond(router.handle(request)) }
        switch fault.kind {
        case .delay: return .respond(router.handle(request))
        case .drop: return .drop
        case .dropAfterEffect:
            _ = router.handle(request)
            return .drop
        case .dropThenEffect:
            return .drop
        case .statusAfterEffect:
            _ = router.handle(request)
            var lost = fault
            lost.status = fault.status ?? 502
            return .respond(FaultResponses.status(lost))
        case .truncate:
            return .truncate(router.handle(request), bytes: fault.truncateAt ?? 0)
        case .html: return .respond(FaultResponses.html(status: fault.status ?? 502))
        case .status: return .respond(FaultResponses.status(fault))
        }
    }
}

/// Bodies GitLab (or what stands in front of it) sends with errors.
enum FaultResponses {
    static func status(_ fault: SimFault) -> SimResponse {
        let code = fault.status ?? 500
        var response: SimResponse
        if let encoded = fault.bodyBase64 {
            let bytes = Data(base64Encoded: encoded) ?? Data()
            response = SimResponse(status: code, headers: [("Content-Type", fault.contentType ?? "application/json")], body: bytes)
        } else if let body = fault.body, let contentType = fault.contentType {
            response = SimResponse(status: code, headers: [("Content-Type", contentType)], body: Data(body.utf8))
        } else if let body = fault.body {
            response = JSONValue.parse(Data(body.utf8)) != nil
                ? SimResponse(status: code, headers: [("Content-Type", "application/json")], body: Data(body.utf8))
                : .text(body, status: code)
        } else if code == 429 {
            // Rack::Attack's throttle response: plain text.
            response = .text("Retry later\n", status: 429)
        } else {
            response = APIError.message(code, "\(code) \(reason(code))").response
        }
        if let retryAfter = fault.retryAfter { response.headers.append(("Retry-After", String(retryAfter))) }
        return response
    }

    static func html(status code: Int) -> SimResponse {
        let page = """
            <!DOCTYPE html>
            <html><head><title>\(code) \(reason(code))</title></head>
            <body><h1>\(code) \(reason(code))</h1><p>The server is temporarily unable to serve your request.</p></body></html>

            """
        return .text(page, status: code, contentType: "text/html; charset=utf-8")
    }

    static func reason(_ code: Int) -> String {
        switch code {
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 409: "Conflict"
        case 422: "Unprocessable Entity"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "Error"
        }
    }
}

/// Requests received, in order (bounded).
final class RequestLog: @unchecked Sendable {
    private let lock = NSLock()
    private var records: [SimRequestRecord] = []
    private let limit = 10_000

    @discardableResult
    func record(_ request: SimRequest, outcome: Outcome, fault: SimFault?) -> SimRequestRecord {
        let status: Int?
        switch outcome {
        case .respond(let response), .truncate(let response, _): status = response.status
        case .drop: status = nil
        }
        let query = request.query.isEmpty ? nil : request.query
            .filter { !["private_token", "job_token"].contains($0.0) }
            .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        let entry = SimRequestRecord(
            method: request.method, path: request.rawPath, query: query, status: status,
            fault: fault?.kind.rawValue
        )
        lock.withLock {
            records.append(entry)
            if records.count > limit { records.removeFirst(records.count - limit) }
        }
        return entry
    }

    var all: [SimRequestRecord] { lock.withLock { records } }

    func clear() { lock.withLock { records.removeAll() } }
}
