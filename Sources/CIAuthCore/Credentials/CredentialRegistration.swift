import Foundation

/// Which GitLab account a credential was registered to, on one server: written by `ciauth enroll`
/// so `ciauth approve` can name the approver without asking GitLab (`GET /user`).
///
/// Only a hint: an approval naming the wrong user is refused by `ciauth verify` (the key is not on
/// that user's profile, or the player differs), so a stale or forged record cannot make an
/// approval pass, only fail.
public struct CredentialRegistration: Sendable, Hashable {
    /// Canonical server URL (`ApprovalStatement.canonicalServerURL`).
    public let server: String
    public let userID: Int
    public let username: String
    /// GitLab's id of the key on the profile.
    public let keyID: Int

    public init(server: String, userID: Int, username: String, keyID: Int) {
        self.server = server
        self.userID = userID
        self.username = username
        self.keyID = keyID
    }
}

/// The sidecar file `<key file>.gitlab.json` beside a credential: a version, the credential's
/// fingerprint (so a record copied beside another key is refused), and one registration per server.
///
/// ```json
/// {"fingerprint":"SHA256:…","registrations":[{"key_id":7,"server":"https://gitlab.example.com","user_id":42,"username":"alice"}],"version":1}
/// ```
///
/// Parsed strictly: exact keys, exact types, valid values, one entry per server, bounded size.
enum CredentialRegistrationFile {
    static let suffix = ".gitlab.json"
    static let version = 1
    static let maximumBytes = 64 * 1024
    static let maximumRegistrations = 64

    static func encode(_ registrations: [CredentialRegistration], fingerprint: String) throws(EnrollError) -> [UInt8] {
        let body = Body(
            version: version, fingerprint: fingerprint,
            registrations: registrations.sorted { $0.server < $1.server }.map(Entry.init))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(body)) + [0x0A]
        } catch {
            throw EnrollError(.storeFailed, "cannot encode the enrollment record: \(error)")
        }
    }

    /// The registrations in `bytes`, or why they cannot be trusted.
    static func decode(_ bytes: [UInt8], fingerprint: String) throws(EnrollError) -> [CredentialRegistration] {
        guard bytes.count <= maximumBytes else { throw broken("larger than \(maximumBytes) bytes") }
        let body: Body
        do {
            body = try JSONDecoder().decode(Body.self, from: Data(bytes))
        } catch {
            throw broken("not a record of this format (\(error))")
        }
        guard body.version == version else { throw broken("unknown version \(body.version)") }
        guard body.fingerprint == fingerprint else { throw broken("it belongs to another key (\(body.fingerprint))") }
        guard body.registrations.count <= maximumRegistrations else { throw broken("more than \(maximumRegistrations) registrations") }
        let registrations = try body.registrations.map(validated)
        guard Set(registrations.map(\.server)).count == registrations.count else { throw broken("a server is listed twice") }
        return registrations
    }

    private static func validated(_ entry: Entry) throws(EnrollError) -> CredentialRegistration {
        guard entry.userID > 0, entry.keyID > 0 else { throw broken("user_id and key_id must be positive") }
        guard (try? ApprovalStatement.canonicalServerURL(entry.server)) == entry.server else {
            throw broken("\(entry.server) is not a canonical server URL")
        }
        guard (try? ApprovalFieldRules.username(entry.username)) != nil else {
            throw broken("\"\(entry.username)\" is not a GitLab username")
        }
        return CredentialRegistration(server: entry.server, userID: entry.userID, username: entry.username, keyID: entry.keyID)
    }

    private static func broken(_ why: String) -> EnrollError {
        EnrollError(.storeFailed, "the enrollment record is unusable: \(why)")
    }

    private struct Body: Codable {
        let version: Int
        let fingerprint: String
        let registrations: [Entry]

        init(version: Int, fingerprint: String, registrations: [Entry]) {
            self.version = version
            self.fingerprint = fingerprint
            self.registrations = registrations
        }

        init(from decoder: any Decoder) throws {
            try ExactKeys.require(["version", "fingerprint", "registrations"], in: decoder)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            version = try container.decode(Int.self, forKey: .version)
            fingerprint = try container.decode(String.self, forKey: .fingerprint)
            registrations = try container.decode([Entry].self, forKey: .registrations)
        }
    }

    private struct Entry: Codable {
        let server: String
        let userID: Int
        let username: String
        let keyID: Int

        enum CodingKeys: String, CodingKey {
            case server, username
            case userID = "user_id"
            case keyID = "key_id"
        }

        init(_ registration: CredentialRegistration) {
            server = registration.server
            userID = registration.userID
            username = registration.username
            keyID = registration.keyID
        }

        init(from decoder: any Decoder) throws {
            try ExactKeys.require(["server", "user_id", "username", "key_id"], in: decoder)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            server = try container.decode(String.self, forKey: .server)
            userID = try container.decode(Int.self, forKey: .userID)
            username = try container.decode(String.self, forKey: .username)
            keyID = try container.decode(Int.self, forKey: .keyID)
        }
    }

    /// Refuses an object whose keys are not exactly the expected ones (JSONDecoder ignores extras).
    private struct ExactKeys: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }

        static func require(_ expected: Set<String>, in decoder: any Decoder) throws {
            let present = Set(try decoder.container(keyedBy: ExactKeys.self).allKeys.map(\.stringValue))
            guard present == expected else {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: decoder.codingPath,
                    debugDescription: "expected exactly the keys \(expected.sorted().joined(separator: ", "))"))
            }
        }
    }
}
