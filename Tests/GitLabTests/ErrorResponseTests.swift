import Testing

@testable import GitLab

@Suite struct ErrorResponseTests {
    let context = ErrorResponse.Context(request: "GET /api/v4/projects/5/jobs/7", resource: "job 7 of project 5", secrets: ["glpat-SECRET"])

    func error(_ status: Int, _ body: String, headers: [(String, String)] = [], play: Bool = false) -> GitLabError {
        var context = context
        context.isPlayWithVariables = play
        return ErrorResponse.error(status: status, headers: headers, body: Array(body.utf8), context: context)
    }

    @Test func messageString() {
        let e = error(404, #"{"message":"404 Job Not Found"}"#)
        #expect(e.code == .notFound)
        #expect(e.status == 404)
        #expect(e.serverMessage == "404 Job Not Found")
        #expect(e.hint?.contains("job 7 of project 5") == true)
    }

    @Test func messageFields() {
        let e = error(400, #"{"message":{"key":["has already been taken"],"fingerprint":["has already been taken","x"]}}"#)
        #expect(e.code == .badRequest)
        #expect(e.serverMessage == "fingerprint has already been taken, x; key has already been taken")
    }

    @Test func applicationRateLimitBody() {
        let e = error(429, #"{"message":{"error":"This endpoint has been requested too many times. Try again later."}}"#)
        #expect(e.code == .rateLimited)
        #expect(e.serverMessage == "This endpoint has been requested too many times. Try again later.")
        #expect(e.retryAfterSeconds == nil)
    }

    @Test func oauthErrorShapeWithScope() {
        let e = error(403, #"{"error":"insufficient_scope","error_description":"The request requires higher privileges.","scope":"api"}"#)
        #expect(e.code == .insufficientScope)
        #expect(e.requiredScope == "api")
        #expect(e.hint?.contains("`api`") == true)
    }

    @Test func scopeFromWWWAuthenticate() {
        let e = error(403, "", headers: [("WWW-Authenticate", #"Bearer realm="GitLab", error="insufficient_scope", scope="read_api""#)])
        #expect(e.code == .insufficientScope)
        #expect(e.requiredScope == "read_api")
    }

    @Test func grapeError() {
        let e = error(400, #"{"error":"job_variables_attributes[0][value] is missing"}"#)
        #expect(e.code == .badRequest)
        #expect(e.serverMessage == "job_variables_attributes[0][value] is missing")
    }

    @Test func playWithVariablesForbidden() {
        let e = error(403, #"{"message":"403 Forbidden"}"#, play: true)
        #expect(e.code == .pipelineVariablesNotAllowed)
        #expect(e.hint?.contains("Minimum role to use pipeline variables") == true)
        #expect(error(403, #"{"message":"403 Forbidden"}"#).code == .forbidden)
    }

    @Test func unauthorized() {
        let e = error(401, #"{"message":"401 Unauthorized"}"#)
        #expect(e.code == .unauthorized)
        #expect(e.hint?.contains("expired") == true)
    }

    @Test func plainTextRateLimit() {
        let e = error(429, "Retry later\n", headers: [("Retry-After", "7"), ("Content-Type", "text/plain")])
        #expect(e.code == .rateLimited)
        #expect(e.serverMessage == "Retry later")
        #expect(e.retryAfterSeconds == 7)
        #expect(e.hint?.contains("after 7 s") == true)
    }

    @Test func htmlFromProxy() {
        let e = error(502, "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>", headers: [("Content-Type", "text/html")])
        #expect(e.code == .serverError)
        #expect(e.serverMessage?.contains("502 Bad Gateway") == true)
        #expect(e.serverMessage?.contains("HTML") == true)
    }

    @Test func binaryGarbage() {
        let body = [UInt8]([0x00, 0xFF, 0x01, 0x1B, 0x5B])
        let e = ErrorResponse.error(status: 500, headers: [], body: body, context: context)
        #expect(e.serverMessage == "unreadable response body (5 bytes)")
    }

    @Test func messagesAreSanitizedTruncatedAndScrubbed() {
        let long = String(repeating: "a", count: 1000)
        let e = error(400, #"{"message":"token glpat-SECRET is bad\u001b[31m \#(long)"}"#)
        let message = e.serverMessage ?? ""
        #expect(!message.contains("glpat-SECRET"))
        #expect(message.contains("[REDACTED]"))
        #expect(!message.unicodeScalars.contains { $0.value < 0x20 })
        #expect(message.count <= Sanitizer.maxLength + 1)
        #expect(!e.description.contains("glpat-SECRET"))
    }

    @Test func unexpectedStatus() {
        #expect(error(418, "").code == .unexpectedStatus)
        #expect(error(409, #"{"message":"409 Conflict: Resource lock"}"#).code == .conflict)
    }
}
