import Foundation
import Testing

@testable import CIAuthCore

/// The enrollment record (`<key>.gitlab.json`) is parsed strictly, and the project path is read
/// from a job's web URL only when it has exactly the expected shape.
@Suite("enrollment records and job URLs")
struct EnrollmentRecordTests {
    static let fingerprint = "SHA256:Yx7kq0Zq3wzN1mW0ZfQ8yO6i2y1o8hG6Jt1i9T2lq3E"
    static let alice = CredentialRegistration(server: "https://gitlab.example.com", userID: 42, username: "alice", keyID: 7)

    static func record(_ registrations: String, version: String = "1", fingerprint: String = EnrollmentRecordTests.fingerprint, extra: String = "") -> [UInt8] {
        Array("{\"version\": \(version), \"fingerprint\": \"\(fingerprint)\", \"registrations\": [\(registrations)]\(extra)}".utf8)
    }

    static let entry = "{\"server\": \"https://gitlab.example.com\", \"user_id\": 42, \"username\": \"alice\", \"key_id\": 7}"

    @Test("what is written reads back; one entry per server")
    func roundTrip() throws {
        let other = CredentialRegistration(server: "http://127.0.0.1:8080/gitlab", userID: 3, username: "alice_2", keyID: 99)
        let bytes = try CredentialRegistrationFile.encode([Self.alice, other], fingerprint: Self.fingerprint)
        #expect(try CredentialRegistrationFile.decode(bytes, fingerprint: Self.fingerprint) == [other, Self.alice])
        #expect(try CredentialRegistrationFile.decode(Self.record(Self.entry), fingerprint: Self.fingerprint) == [Self.alice])
        #expect(try CredentialRegistrationFile.decode(Self.record(""), fingerprint: Self.fingerprint).isEmpty)
    }

    @Test(
        "malformed records are refused",
        arguments: [
            ("not JSON", Array("{".utf8)),
            ("array", Array("[]".utf8)),
            ("unknown top-level key", record(entry, extra: ", \"note\": 1")),
            ("missing key", Array("{\"version\": 1, \"fingerprint\": \"\(fingerprint)\"}".utf8)),
            ("version 2", record(entry, version: "2")),
            ("version as string", record(entry, version: "\"1\"")),
            ("another key's record", record(entry, fingerprint: "SHA256:other")),
            ("unknown entry key", record(entry.replacingOccurrences(of: "}", with: ", \"admin\": true}"))),
            ("missing entry key", record(entry.replacingOccurrences(of: ", \"key_id\": 7", with: ""))),
            ("user id as string", record(entry.replacingOccurrences(of: "42", with: "\"42\""))),
            ("user id as boolean", record(entry.replacingOccurrences(of: "42", with: "true"))),
            ("user id fraction", record(entry.replacingOccurrences(of: "42", with: "42.5"))),
            ("user id zero", record(entry.replacingOccurrences(of: "42", with: "0"))),
            ("key id negative", record(entry.replacingOccurrences(of: ": 7", with: ": -7"))),
            ("username with space", record(entry.replacingOccurrences(of: "\"alice\"", with: "\"al ice\""))),
            ("username empty", record(entry.replacingOccurrences(of: "\"alice\"", with: "\"\""))),
            ("server not canonical", record(entry.replacingOccurrences(of: "gitlab.example.com", with: "GitLab.example.com:443"))),
            ("server with trailing slash", record(entry.replacingOccurrences(of: "gitlab.example.com", with: "gitlab.example.com/"))),
            ("server twice", record(entry + ", " + entry.replacingOccurrences(of: "42", with: "43"))),
            ("too large", record(entry) + Array(repeating: UInt8(ascii: " "), count: 70_000)),
        ])
    func malformed(_ name: String, _ bytes: [UInt8]) {
        #expect(throws: EnrollError.self, "\(name)") { try CredentialRegistrationFile.decode(bytes, fingerprint: Self.fingerprint) }
    }
}
