import Foundation
import SSHSig
import Testing

@testable import CIAuthCore

/// allowed_signers validity without a zone is local time, as in OpenSSH; with `Z` it is UTC
/// whatever the local zone. The zone is read only when a local time is present.
@Suite struct KeyRegistryTimeZoneTests {
    private let key =
        "sk-ecdsa-sha2-nistp256@openssh.com AAAAInNrLWVjZHNhLXNoYTItbmlzdHAyNTZAb3BlbnNzaC5jb20AAAAIbmlzdHAyNTYAAABBBFFcPW6545a5BNP+yn9U/c0MwemXvzddylFa0KbDtANfRTa+OlDzGPv5pUdZAqIhUCvvDVfgjFOyzApW8X2fk1QAAAAEc3NoOg=="

    private func entry(_ options: String, zone: TimeZone?) throws -> KeyRegistry.Entry {
        let signers = try AllowedSigners(parsing: "alice \(options) \(key)\n")
        return try #require(KeyRegistry(allowedSigners: signers, localTimeZone: zone).entries.first)
    }

    @Test func localTimesFollowTheGivenZone() throws {
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        let local = try entry("valid-after=\"20250102\",valid-before=\"20250701\"", zone: berlin)
        #expect(local.validAfter == Date(timeIntervalSince1970: 1_735_772_400))  // 2025-01-01T23:00:00Z
        #expect(local.expiresAt == Date(timeIntervalSince1970: 1_751_320_801))  // 2025-06-30T22:00:00Z, inclusive
    }

    @Test func utcTimesIgnoreTheZone() throws {
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        for zone in [berlin, nil] {
            let utc = try entry("valid-after=\"20250102Z\",valid-before=\"20250701Z\"", zone: zone)
            #expect(utc.validAfter == Date(timeIntervalSince1970: 1_735_776_000))
            #expect(utc.expiresAt == Date(timeIntervalSince1970: 1_751_328_001))
        }
    }
}
