import Foundation
import GitLabSim
import Testing

@testable import GitLab

/// The server's `Date` header and `GET /personal_access_tokens/self`, against the simulator.
@Suite struct ServerClockAndTokenTests {
    @Test func dateHeaderGivesTheServersClock() async throws {
        try await withSimulator { sim, client in
            let (user, clock) = try await client.currentUserWithServerClock()
            #expect(user.username == "alice")
            let range = try #require(clock.offsetRange)
            #expect(range.contains(0), "\(range)")
            #expect(clock.roundTrip >= 0 && range.upperBound - range.lowerBound <= 1 + clock.roundTrip + 0.001)

            try sim.setClockOffset(seconds: -300)
            let behind = try #require(try await client.currentUserWithServerClock().clock.offsetRange)
            // The simulator shares this machine's clock: the true offset is exactly -300 s.
            #expect(behind.contains(-300) && behind.upperBound < 0, "\(behind)")
        }
    }

    /// The parser is shared with `Retry-After` (RetryPolicy.swift).
    @Test func imfFixdateOnly() {
        let expected = Date(timeIntervalSince1970: 784_111_777)  // 1994-11-06 08:49:37 UTC
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == expected)
        #expect(HTTPDate.parse("Sat, 29 Feb 2020 23:59:59 GMT") == Date(timeIntervalSince1970: 1_583_020_799))
        for rejected in [
            "Sunday, 06-Nov-94 08:49:37 GMT",  // RFC 850
            "Sun Nov  6 08:49:37 1994",  // asctime
            "Sun, 06 Nov 1994 08:49:37 UTC",  // not GMT
            "Sun, 6 Nov 1994 08:49:37 GMT",  // one-digit day
            "Sun, 06 nov 1994 08:49:37 GMT",  // case
            "Sun, 31 Nov 1994 08:49:37 GMT",  // no such day
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT ",
            "Sun, 06 Nov 1994 08:49:3x GMT",
            "Mon, 06 Nov 1994 08:49:37 GMT",  // 1994-11-06 was a Sunday
            "Sun, +6 Nov 1994 08:49:37 GMT",  // sign
            "Sun, 06 Nov +994 08:49:37 GMT",
            "Sun, 06 Nov 1994 +8:49:37 GMT",
            "Sun, ０6 Nov 1994 08:49:37 GMT",  // non-ASCII digit
            "",
        ] {
            #expect(HTTPDate.parse(rejected) == nil, "\(rejected)")
        }
    }

    @Test func offsetRangeAccountsForTheRoundTripAndWholeSeconds() {
        let sent = Date(timeIntervalSince1970: 1000.2), received = Date(timeIntervalSince1970: 1000.9)
        let agreeing = ServerClockReading(serverDate: Date(timeIntervalSince1970: 1000), requestSent: sent, responseReceived: received)
        #expect(agreeing.offsetRange.map { $0.contains(0) } == true)
        let ahead = ServerClockReading(serverDate: Date(timeIntervalSince1970: 1060), requestSent: sent, responseReceived: received)
        #expect(abs((ahead.offsetRange?.lowerBound ?? 0) - 59.1) < 0.001 && abs((ahead.offsetRange?.upperBound ?? 0) - 60.8) < 0.001)
        #expect(ServerClockReading(serverDate: nil, requestSent: sent, responseReceived: received).offsetRange == nil)
    }

    @Test func currentTokenScopesAndExpiry() async throws {
        let seed = Seeds.standard().replacingOccurrences(
            of: #"{"value": "alice-read", "scopes": ["read_api"]}"#,
            with: #"{"value": "alice-read", "scopes": ["read_api"], "name": "laptop", "expires_at": "2031-01-31"}"#)
        try await withSimulator(seed: seed) { sim, alice in
            let full = try await alice.currentToken()
            #expect(full.scopes == ["api"] && full.active && !full.revoked && full.expiresAt == nil)
            #expect(full.name == "token \(full.id)")
            try await withClient(sim, credentials: .accessToken("alice-read")) { reader in
                let token = try await reader.currentToken()
                #expect(token.scopes == ["read_api"] && token.name == "laptop" && token.active)
                #expect(token.expiresAt == Date(timeIntervalSince1970: 1_927_584_000))  // 2031-01-31T00:00:00Z
                #expect(token.id != full.id)
            }
            // A job token is not a personal access token.
            try await withClient(sim, credentials: .jobToken("glcbt-not-a-live-token")) { job in
                let error = await expectGitLabError { _ = try await job.currentToken() }
                #expect(error?.code == .unauthorized)
            }
        }
    }

    @Test func tokenEntityIsDecodedStrictly() throws {
        let valid = #"{"id": 4, "name": "t", "revoked": false, "created_at": "2020-07-23T14:31:47.729Z", "scopes": ["api"], "user_id": 3, "last_used_at": null, "active": true, "expires_at": "2020-08-31"}"#
        #expect(try JSONDecoder().decode(PersonalAccessToken.self, from: Data(valid.utf8)).expiresAt != nil)
        let badDate = valid.replacingOccurrences(of: "2020-08-31", with: "next week")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(PersonalAccessToken.self, from: Data(badDate.utf8)) }
        let noScopes = valid.replacingOccurrences(of: #""scopes": ["api"], "#, with: "")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(PersonalAccessToken.self, from: Data(noScopes.utf8)) }
    }
}
