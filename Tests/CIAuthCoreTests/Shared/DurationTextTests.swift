@testable import CIAuthCore
import Testing

/// The one duration grammar, and that every caller reads the same forms.
@Suite struct DurationTextTests {
    @Test(arguments: [
        ("90s", 90), ("15m", 900), ("1h", 3600), ("7d", 604_800), ("2w", 1_209_600), ("1h30m", 5400),
        ("2w3d", 1_468_800), ("1d2h3m4s", 93_784), ("0s", 0), ("1h0m", 3600), ("100000d", 8_640_000_000),
    ] as [(String, Int64)])
    func goodForms(text: String, seconds: Int64) {
        #expect(DurationText.seconds(text) == seconds)
    }

    @Test(arguments: [
        "", "h", "60", "1", "1x", "1H", "-1h", "+1h", "1.5h", "1,5h", "01h", "00s", "1h 30m", " 1h", "1h ", "1h30",
        "30m1h", "1h1h", "1s1m", "１h", "1h\n", "1 h", "h1", "1hh", "9223372036854775808s",
        "106751991167300d86400s", "15250284452472w", "106751991167301d",
    ])
    func badForms(text: String) {
        #expect(DurationText.seconds(text) == nil, "\(text)")
    }

    @Test func largestValueFitsAndOneMoreOverflows() {
        #expect(DurationText.seconds("9223372036854775807s") == Int64.max)
        #expect(DurationText.seconds("15250284452471w") == 9_223_372_036_854_460_800)
        #expect(DurationText.seconds("106751991167300d") == 9_223_372_036_854_720_000)
    }

    @Test func zeroIsForTheCallerToRefuse() {
        #expect(DurationText.seconds("0s") == 0)
        #expect(DurationText.positiveSeconds("0s") == nil)
        #expect(DurationText.positiveSeconds("0h0m") == nil)
        #expect(DurationText.positiveSeconds("0h1s") == 1)
    }

    @Test func describeWritesTheGrammar() {
        for seconds: Int64 in [1, 59, 60, 3600, 5400, 86_400, 93_784, 1_468_800] {
            #expect(DurationText.seconds(DurationText.describe(seconds)) == seconds)
        }
        #expect(DurationText.describe(0) == "0s")
        #expect(DurationText.describe(5400) == "1h30m")
    }

    /// `verify` (flags and `.ciauth.yml`), `keys prune` and `approve`/`enroll` take the same forms.
    @Test(arguments: ["1h30m", "2w", "1d12h", "45s"])
    func everyCallerAcceptsTheSameForms(text: String) throws {
        let seconds = try #require(DurationText.positiveSeconds(text))
        #expect(try KeysRuleValues.duration(text) == seconds)
        let file = try RepositoryPolicy(yaml: "max_age: \(text)\nmin_key_age: \(text)\n")
        #expect(file.maximumAge == seconds && file.minimumKeyAge == seconds)
        var flags = VerifyRequest.Flags()
        flags.server = "https://gitlab.example.com"
        flags.project = "acme/web"
        flags.environment = "production"
        flags.maximumAge = text
        flags.minimumKeyAge = text
        let settings = try VerifySettings(flags: flags, file: nil)
        #expect(settings.policy.maximumAge == seconds && settings.policy.minimumKeyAge == seconds)
    }

    @Test(arguments: ["0s", "1h 30m", "30m1h", "-1h", "60"])
    func everyCallerRefusesTheSameForms(text: String) {
        #expect(throws: KeysError.self) { try KeysRuleValues.duration(text) }
        #expect(throws: RepositoryPolicyError.badDuration("max_age", text)) { try RepositoryPolicy(yaml: "max_age: \"\(text)\"\n") }
        var flags = VerifyRequest.Flags()
        flags.server = "https://gitlab.example.com"
        flags.project = "acme/web"
        flags.environment = "production"
        flags.maximumAge = text
        #expect(throws: VerifyFailure.self) { try VerifySettings(flags: flags, file: nil) }
    }

    @Test func eachCallerKeepsItsOwnLimit() throws {
        #expect(try KeysRuleValues.duration("36500d") == 36_500 * 86_400)
        #expect(throws: KeysError.self) { try KeysRuleValues.duration("36500d1s") }
        #expect(throws: ApproveError.self) {
            try ApproveRequest.validate(validitySeconds: 3600, maximumSeconds: DurationText.positiveSeconds("1d1s") ?? 0, variable: "CIAUTH_APPROVAL")
        }
        try ApproveRequest.validate(validitySeconds: DurationText.positiveSeconds("1h30m") ?? 0, maximumSeconds: 86_400, variable: "CIAUTH_APPROVAL")
    }
}
