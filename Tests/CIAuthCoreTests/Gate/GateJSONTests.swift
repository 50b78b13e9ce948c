import Foundation
import Testing

@testable import CIAuthCore

/// The strict reader behind ID tokens and key sets: what Foundation's decoders let through
/// (a member named twice, trailing bytes) is refused; what RFC 8259 allows is read exactly.
@Suite("Gate strict JSON")
struct GateJSONTests {
    private func parse(_ text: String) throws -> GateJSON { try GateJSON.parse(Array(text.utf8)) }

    @Test("refused", arguments: [
        #"{"a":"1","a":"2"}"#, #"{"a":"1","\u0061":"2"}"#, #"{"a":1} x"#, #"{"a":01}"#, #"{"a":"\ud800"}"#,
        #"{"a":"x"#, "{\"a\":\"\u{01}\"}", #"{'a':1}"#, #"{"a":tru}"#, #"{"a":[1,]}"#, "", String(repeating: "[", count: 20) + String(repeating: "]", count: 20),
    ])
    func refused(text: String) {
        #expect(throws: GateJSON.Malformed.self) { try parse(text) }
    }

    @Test("read exactly")
    func accepted() throws {
        let value = try parse(#" {"s":"\u00e9\ud83d\ude00\n","n":-12,"f":1.5e3,"b":true,"z":null,"a":[{}]} "#)
        let object = try #require(value.object)
        #expect(object["s"] == .string("é😀\n"))
        #expect(object["n"]?.integer == -12)
        #expect(object["f"]?.integer == nil)
        #expect(object["b"] == .bool(true) && object["z"] == .null && object["a"] == .array([.object([:])]))
    }

    @Test("claims typed as GitLab types them: ids and booleans as strings, never numbers")
    func claimTypes() throws {
        let base: [String: GateJSON] = [
            "iss": .string("https://gitlab.example.com"), "aud": .string("a"), "exp": .number("2000"), "iat": .number("1000"),
            "project_id": .string("42"), "project_path": .string("g/p"), "pipeline_id": .string("7"), "pipeline_source": .string("push"),
            "job_id": .string("9"), "ref": .string("main"), "ref_type": .string("branch"), "ref_protected": .string("true"),
            "sha": .string("abc"), "user_id": .string("2"), "user_login": .string("alice"), "ci_config_ref_uri": .null,
        ]
        let claims = try GateClaims(base)
        #expect(claims.jobID == 9 && claims.refProtected && claims.ciConfigRefURI == nil && claims.environment == nil)
        for (name, value) in [("job_id", GateJSON.number("9")), ("ref_protected", .bool(true)), ("project_id", .string("042")),
                              ("user_id", .string("-2")), ("exp", .string("2000")), ("exp", .number("2e3"))] {
            var changed = base
            changed[name] = value
            #expect(throws: GateFailure.self, "\(name)") { _ = try GateClaims(changed) }
        }
    }
}

/// A gate policy's server pasted from `CI_API_V4_URL` names the server, as everywhere else.
@Suite struct GatePolicyServerTests {
    @Test func apiURLNamesTheServer() throws {
        let policy = try GatePolicy(yaml: """
            server: https://gitlab.example.com/api/v4/
            audience: deploy
            project: acme/web
            project_id: 42
            environments: [production]
            """)
        #expect(policy.server == "https://gitlab.example.com")
        #expect(policy.issuer == "https://gitlab.example.com")
    }
}
