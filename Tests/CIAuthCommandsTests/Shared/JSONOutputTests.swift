import CIAuthCore
import Foundation
import Testing

/// The one JSON encoder's naming rule, and docs/json.md naming every schema.
@Suite struct JSONOutputTests {
    @Test(arguments: [
        ("jobIDs", "job_ids"), ("gitlabKeyID", "gitlab_key_id"), ("commitSHA", "commit_sha"), ("webURL", "web_url"),
        ("u2fV2", "u2f_v2"), ("pinSet", "pin_set"), ("myURLProperty", "my_url_property"), ("aaguid", "aaguid"),
        ("sha256Fingerprint", "sha256_fingerprint"), ("retryJobID", "retry_job_id"),
    ])
    func snakeCase(name: String, expected: String) {
        #expect(JSONOutput.snakeCase(name) == expected)
        #expect(JSONShape.isSnakeCase(expected))
    }

    @Test("a list is a member of the document, never the document; schema beside the members")
    func documentIsAnObject() throws {
        struct Body: Encodable { let keyFingerprint = "SHA256:x"; let jobIDs = [1, 2] }
        let object = try JSONShape.check(JSONOutput.document(.keysList, Body()), .keysList)
        #expect(object["job_ids"] as? [Int] == [1, 2] && object["key_fingerprint"] as? String == "SHA256:x")
    }

    @Test("the audit record keeps its persisted member names inside the document")
    func verbatimMemberIsUntouched() throws {
        struct Body: Encodable { let result = "accepted" }
        let text = JSONOutput.document(.verify, Body(), verbatim: ["audit": #"{"format":"ciauth-audit-v1","keyType":"sk"}"#])
        let object = try JSONShape.check(text, .verify)
        #expect((object["audit"] as? [String: Any])?["keyType"] as? String == "sk")
    }

    @Test("docs/json.md describes every schema the binary prints")
    func everySchemaIsDocumented() throws {
        let docs = try String(contentsOf: GeneratedFilesTests.packageRoot.appendingPathComponent("docs/json.md"), encoding: .utf8)
        for schema in JSONSchema.allCases {
            #expect(docs.contains("`\(schema.rawValue)`"), "docs/json.md does not describe \(schema.rawValue)")
        }
    }
}
