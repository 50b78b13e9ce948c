import Foundation
import Testing

@testable import CIAuthCommands

/// `--at`: RFC 3339 read strictly, without Foundation; where Foundation reads a valid text too,
/// both mean the same instant.
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

    @Test(arguments: ["2026-11-28T22:30:00+01:00", "2026-11-28T16:00:00-05:30", "2026-11-28T21:30:00.250Z", "2026-11-28T21:30:00.5+00:00"])
    func spellingsMeanWhatFoundationReads(_ text: String) throws {
        #expect(InstantArgument.parse(text) == (try Date(text, strategy: .iso8601)))
    }

    /// Foundation's reader takes these (it ignores what follows a valid prefix); a time that decides
    /// a verdict must be exactly what was written.
    @Test(arguments: ["2026-11-28T21:30:00Zx", "2026-11-28T21:30:00Z ", "2026-11-28T22:30:00+01:00garbage", "2026-11-28T21:30:00.Z"])
    func trailingTextIsRefused(_ text: String) {
        #expect(InstantArgument.parse(text) == nil)
    }

    @Test(arguments: [
        "", "yesterday", "2026-11-28", "2026-02-30T10:00:00Z", "2026-11-28T24:00:00Z", "2026-11-28T21:30:00",
        "2026-11-28T21:30:00+24:00", "2026-11-28T21:30:00+01:60", "2026-11-28T21:30:00+0100", "2026-11-28t21:30:00z",
        "2026-11-28T21:30:61Z", "+2026-11-28T21:30:00Z",
    ])
    func nonsenseIsRefused(_ text: String) {
        #expect(InstantArgument.parse(text) == nil)
    }
}
