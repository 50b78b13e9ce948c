import Foundation
import Testing

@testable import GitLabSim

/// The `Date` header and its settable clock, and `GET /personal_access_tokens/self`.
@Suite struct ClockAndTokenTests {
    @Test func dateHeaderIsIMFFixdate() {
        #expect(SimClock.httpDate(Date(timeIntervalSince1970: 784_111_777)) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(SimClock.httpDate(Date(timeIntervalSince1970: 1_583_020_799.9)) == "Sat, 29 Feb 2020 23:59:59 GMT")
        #expect(SimClock.httpDate(Date(timeIntervalSince1970: 1_798_761_600)) == "Fri, 01 Jan 2027 00:00:00 GMT")
    }

    static func parseHTTPDate(_ text: String?) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return text.flatMap { formatter.date(from: $0) }
    }

    /// Whether the `Date` header of a GET to `path` shows real time plus `offset`: between the
    /// request leaving and the answer arriving (less the second the header drops), however slow.
    static func isDated(_ http: TestHTTP, _ path: String, offset: TimeInterval = 0) async throws -> Bool {
        let sent = Date()
        let response = try await http.get(path, token: "alice-token")
        let received = Date()
        guard let date = parseHTTPDate(response.header("Date")) else { return false }
        return date >= sent.addingTimeInterval(offset - 1) && date <= received.addingTimeInterval(offset)
    }

    @Test func everyResponseIsDatedByTheSettableClock() async throws {
        try await withSimulator { simulator, http in
            for path in ["/api/v4/user", "/api/v4/nope", "/-/sim/jobs"] {
                #expect(try await Self.isDated(http, path), "\(path)")
            }
            #expect(try await http.put("/-/sim/clock", json: #"{"offset_seconds": -600}"#).status == 200)
            #expect(try await Self.isDated(http, "/api/v4/user", offset: -600))
            #expect(try await !Self.isDated(http, "/api/v4/user"))
            try simulator.setClockOffset(seconds: 90)
            #expect(try await Self.isDated(http, "/api/v4/user", offset: 90))
            #expect(try await http.put("/-/sim/clock", json: #"{"offset_seconds": "soon"}"#).status == 400)
            #expect(throws: SimError.self) { try simulator.setClockOffset(seconds: .infinity) }
        }
    }

    @Test func tokenSelfDescribesTheTokenInUse() async throws {
        var seed = try Fixtures.seed()
        let index = try #require(seed.users.firstIndex { $0.username == "carol" })
        seed.users[index].tokens = [SimSeed.Token("carol-token", scopes: ["read_user"], name: "ci laptop", expiresAt: "2001-01-01")]
        try await withSimulator(seed) { _, http in
            let alice = try await http.get("/api/v4/personal_access_tokens/self", token: "alice-token")
            #expect(alice.status == 200)
            #expect(alice.json?["scopes"]?.arrayValue?.compactMap(\.stringValue) == ["api"])
            #expect(alice.json?["active"] == .bool(true) && alice.json?["revoked"] == .bool(false))
            #expect(alice.json?["user_id"]?.intValue == 2)
            let reader = try await http.get("/api/v4/personal_access_tokens/self", token: "alice-read")
            #expect(reader.json?["scopes"]?.arrayValue?.compactMap(\.stringValue) == ["read_api"])
            #expect(reader.json?["id"]?.intValue != alice.json?["id"]?.intValue)

            let carol = try await http.get("/api/v4/personal_access_tokens/self", token: "carol-token")
            #expect(carol.status == 200)  // expiry is reported, not enforced
            #expect(carol.json?["name"]?.stringValue == "ci laptop" && carol.json?["expires_at"]?.stringValue == "2001-01-01")
            #expect(carol.json?["active"] == .bool(false))
            #expect(try await http.get("/api/v4/personal_access_tokens/self").status == 401)
        }
    }

    @Test func tokenExpiryMustBeADate() async throws {
        let seed = #"{"users": [{"id": 1, "username": "a", "tokens": [{"value": "t", "expires_at": "soon"}]}]}"#
        let decoded = try SimSeed.decode(json: Data(seed.utf8))
        #expect(decoded.users.first?.tokens.first?.expiresAt == "soon")
        // Rejected when the world is built.
        await #expect(throws: SimError.self) { try await GitLabSimulator.start(seed: decoded).shutdown() }
    }
}
