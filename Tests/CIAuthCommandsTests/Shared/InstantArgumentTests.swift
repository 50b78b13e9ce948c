import Foundation
import Testing

@testable import CIAuthCommands

/// `--at`: the canonical form is read without Foundation, and means what Foundation reads; other
/// RFC 3339 spellings still work.
@Suite struct InstantArgumentTests {
    @Test(arguments: ["2026-11-28T21:30:00Z", "1970-01-01T00:00:00Z", "2024-02-29T23:59:59Z"])
    func canonicalFormMatchesFoundation(_ text: String) throws {
        #expect(InstantArgument.parse(text) == (try Date(text, strategy: .iso8601)))
    }

    @Test func offsetsAndFractionsAreStillRead() {
        let instant = Date(timeIntervalSince1970: 1_795_901_400)  // 2026-11-28T21:30:00Z
        #expect(InstantArgument.parse("2026-11-28T22:30:00+01:00") == instant)
        #expect(InstantArgument.parse("2026-11-28T21:30:00.000Z") == instant)
    }

    @Test(arguments: ["", "yesterday", "2026-11-28", "2026-02-30T10:00:00Z", "2026-11-28T24:00:00Z"])
    func nonsenseIsRefused(_ text: String) {
        #expect(InstantArgument.parse(text) == nil)
    }
}
