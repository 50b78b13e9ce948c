import Foundation
import GitLabSim
import Testing

/// Fault injection per route: statuses, Retry-After, HTML pages, drops, truncation, latency.
@Suite struct FaultTests {
    static let userRoute = SimRoute(method: "GET", path: "/api/v4/user")
    static let playRoute = SimRoute(method: "POST", path: "/api/v4/projects/*/jobs/*/play")

    @Test func countLimitedRateLimitWithRetryAfter() async throws {
        try await withSimulator { simulator, http in
            try simulator.setFault(route: Self.userRoute, fault: .status(429, retryAfter: 7), count: 2)
            for _ in 0..<2 {
                let limited = try await http.get("/api/v4/user", token: "alice-token")
                #expect(limited.status == 429)
                #expect(limited.header("Retry-After") == "7")
                #expect(limited.text == "Retry later\n")
            }
            #expect(try await http.get("/api/v4/user", token: "alice-token").status == 200)
            #expect(simulator.faults.first?.count == 0)
            #expect(simulator.requests.map(\.status) == [429, 429, 200])
        }
    }

    @Test func serverErrorsHaveGitLabBodies() async throws {
        try await withSimulator { simulator, http in
            try simulator.setFault(route: SimRoute(path: "/api/v4/users/**"), fault: .status(503))
            let failed = try await http.get("/api/v4/users/alice/keys")
            #expect(failed.status == 503)
            #expect(failed.json == .object([("message", .string("503 Service Unavailable"))]))
            #expect(try await http.get("/api/v4/user", token: "alice-token").status == 200, "other routes unaffected")
        }
    }

    @Test func htmlErrorPage() async throws {
        try await withSimulator { simulator, http in
            try simulator.setFault(route: Self.userRoute, fault: .html(502))
            let page = try await http.get("/api/v4/user", token: "alice-token")
            #expect(page.status == 502)
            #expect(page.header("Content-Type")?.hasPrefix("text/html") == true)
            #expect(page.json == nil)
        }
    }

    @Test func droppedConnectionHasNoEffect() async throws {
        try await withSimulator { simulator, http in
            try simulator.setFault(route: Self.playRoute, fault: .drop, count: 1)
            await #expect(throws: (any Error).self) {
                _ = try await http.post("/api/v4/projects/100/jobs/9001/play", token: "bob-token")
            }
            #expect(simulator.job(id: 9001)?.status == "manual")
            #expect(simulator.requests.last?.status == nil)
            #expect(try await http.post("/api/v4/projects/100/jobs/9001/play", token: "bob-token").status == 200)
        }
    }

    @Test func droppedAfterEffectStillPlaysTheJob() async throws {
        try await withSimulator { simulator, http in
            try simulator.setFault(route: Self.playRoute, fault: .dropAfterEffect, count: 1)
            await #expect(throws: (any Error).self) {
                _ = try await http.post("/api/v4/projects/100/jobs/9001/play", token: "bob-token")
            }
            #expect(try await simulator.waitForJob(id: 9001).status == "success", "the play happened")
            let retry = try await http.post("/api/v4/projects/100/jobs/9001/play", token: "bob-token")
            #expect(retry.status == 200, "a blind retry now retries the finished job")
            #expect(simulator.jobs().contains { $0.retriedFromId == 9001 })
        }
    }

    @Test func truncatedBodyFailsTheRead() async throws {
        try await withSimulator { simulator, http in
            try simulator.setFault(route: Self.userRoute, fault: .truncate(at: 10))
            await #expect(throws: (any Error).self) {
                _ = try await http.get("/api/v4/user", token: "alice-token")
            }
        }
    }

    @Test func latencyDelaysTheResponse() async throws {
        try await withSimulator { simulator, http in
            try simulator.setFault(route: Self.userRoute, fault: .delay(milliseconds: 300))
            let start = ContinuousClock.now
            #expect(try await http.get("/api/v4/user", token: "alice-token").status == 200)
            #expect(ContinuousClock.now - start >= .milliseconds(300))
        }
    }

    @Test func routeWithQueryHitsOnlyThatPage() async throws {
        try await withSimulator { simulator, http in
            let route = SimRoute(method: "GET", path: "/api/v4/users/*/keys", query: ["page=2", "per_page=1"])
            try simulator.setFault(route: route, fault: .status(500))
            #expect(try await http.get("/api/v4/users/alice/keys?per_page=1&page=2").status == 500)
            #expect(try await http.get("/api/v4/users/alice/keys?page=2").status == 200, "per_page=1 missing")
            #expect(try await http.get("/api/v4/users/alice/keys?per_page=1").status == 200, "page 1")
            let rule = #"{"route":{"method":"GET","path":"/api/v4/user","query":["x=a b"]},"fault":{"kind":"status","status":503}}"#
            #expect(try await http.post("/-/sim/faults", json: rule).status == 201)
            #expect(try await http.get("/api/v4/user?x=a%20b", token: "alice-token").status == 503)
            #expect(try await http.get("/api/v4/user?x=a", token: "alice-token").status == 200)
            #expect(simulator.faults.last?.route.description == "GET /api/v4/user?x=a b")
        }
    }

    @Test func faultsFromTheSeedAndTheControlEndpoint() async throws {
        var seed = try Fixtures.seed()
        seed.faults = [SimFaultRule(route: Self.userRoute, fault: .status(500), count: 1)]
        try await withSimulator(seed) { simulator, http in
            #expect(try await http.get("/api/v4/user", token: "alice-token").status == 500)
            let rule = #"{"route":{"method":"GET","path":"/api/v4/users/*/keys"},"fault":{"kind":"status","status":429,"retry_after":3},"count":1}"#
            let added = try await http.post("/-/sim/faults", json: rule)
            #expect(added.status == 201)
            let limited = try await http.get("/api/v4/users/alice/keys")
            #expect(limited.status == 429)
            #expect(limited.header("Retry-After") == "3")
            #expect(try await http.get("/api/v4/users/alice/keys").status == 200)
            #expect(try await http.delete("/-/sim/faults").status == 204)
            #expect(simulator.faults.isEmpty)
            let invalid = try await http.post("/-/sim/faults", json: #"{"route":{"path":"x"},"fault":{"kind":"status"}}"#)
            #expect(invalid.status == 400)
        }
    }

    /// Bytes no GitLab sends, unchanged: a member named twice, a body that is not UTF-8, JSON
    /// under another type.
    @Test func rawBodiesAreSentUnchanged() async throws {
        try await withSimulator { simulator, http in
            let bytes: [UInt8] = Array(#"{"state":"blocked","state":"active","n":""#.utf8) + [0xFF] + Array(#""}"#.utf8)
            try simulator.setFault(route: Self.userRoute, fault: .raw(bytes: bytes), count: 1)
            let raw = try await http.get("/api/v4/user", token: "alice-token")
            #expect(raw.status == 200 && raw.header("Content-Type") == "application/json")
            #expect(Array(raw.body) == bytes)
            let rule = #"{"route":{"method":"GET","path":"/api/v4/user"},"fault":{"kind":"status","status":200,"body":"[]","content_type":"text/html"},"count":1}"#
            #expect(try await http.post("/-/sim/faults", json: rule).status == 201)
            let typed = try await http.get("/api/v4/user", token: "alice-token")
            #expect(typed.header("Content-Type") == "text/html" && typed.text == "[]")
            let invalid = #"{"route":{"path":"/api/v4/user"},"fault":{"kind":"status","status":200,"body_base64":"%%%"}}"#
            #expect(try await http.post("/-/sim/faults", json: invalid).status == 400)
        }
    }

    @Test func requestLogNeverKeepsCredentials() async throws {
        try await withSimulator { simulator, http in
            _ = try await http.get("/api/v4/user?private_token=alice-token&x=1")
            let record = try #require(simulator.requests.last)
            #expect(record.path == "/api/v4/user")
            #expect(record.query == "x=1")
            let logged = try await http.get("/-/sim/requests")
            #expect(!logged.text.contains("alice-token"))
        }
    }
}
