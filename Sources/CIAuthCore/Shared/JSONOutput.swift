import Foundation

/// The `schema` of each command's `--json` document (docs/json.md): `ciauth.<command>/<major>`.
/// The major version changes only when a member is removed, renamed or changes meaning; new
/// members may appear in any release without a new version.
public enum JSONSchema: String, CaseIterable, Sendable {
    case approve = "ciauth.approve/1"
    case auditVerify = "ciauth.audit.verify/1"
    case authStatus = "ciauth.auth.status/1"
    case devices = "ciauth.devices/1"
    case doctor = "ciauth.doctor/1"
    case enroll = "ciauth.enroll/1"
    case gateCheck = "ciauth.gate.check/1"
    case keysList = "ciauth.keys.list/1"
    case keysPrune = "ciauth.keys.prune/1"
    case keysRevoke = "ciauth.keys.revoke/1"
    case verify = "ciauth.verify/1"
}

/// Renders every command's `--json` output: one object, its `schema` first among sorted keys,
/// snake_case member names derived from the Codable property names (so a new property needs no
/// key written by hand), ISO 8601 dates.
public enum JSONOutput {
    /// `body` must encode as a keyed container (a struct), so the document is an object.
    /// `verbatim` members are JSON texts inserted as they are, keys untouched: the audit record
    /// keeps its own persisted format (`ciauth-audit-v1`) inside `verify` and `gate check` output.
    public static func document(_ schema: JSONSchema, _ body: some Encodable, verbatim: [String: String] = [:]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.keyEncodingStrategy = .custom { path in SnakeKey(stringValue: snakeCase(path.last?.stringValue ?? "")) }
        guard let data = try? encoder.encode(Envelope(schema: schema.rawValue, body: body)) else {
            return #"{"schema": "\#(schema.rawValue)", "error": "the result could not be encoded"}"#
        }
        guard !verbatim.isEmpty else { return String(decoding: data, as: UTF8.self) }
        return splice(verbatim, into: data)
    }

    /// `jobIDs` → `job_ids`, `gitlabKeyID` → `gitlab_key_id`, `commitSHA` → `commit_sha`,
    /// `u2fV2` → `u2f_v2`: a word starts at an upper-case letter after a lower-case letter or
    /// digit, or at the last capital of an acronym followed by a lower-case word (a plural `s`
    /// stays with its acronym).
    public static func snakeCase(_ name: String) -> String {
        let characters = Array(name)
        var words: [String] = []
        var current = ""
        for (index, character) in characters.enumerated() {
            if character.isUppercase, !current.isEmpty {
                let previous = characters[index - 1]
                let next: Character? = index + 1 < characters.count ? characters[index + 1] : nil
                let pluralAcronym = next == "s" && (index + 2 == characters.count || characters[index + 2].isUppercase)
                let wordFollows = next?.isLowercase == true && !pluralAcronym
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && wordFollows) {
                    words.append(current)
                    current = ""
                }
            }
            current.append(character)
        }
        words.append(current)
        return words.map { $0.lowercased() }.joined(separator: "_")
    }

    private static func splice(_ verbatim: [String: String], into data: Data) -> String {
        guard var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            return String(decoding: data, as: UTF8.self)
        }
        for (key, text) in verbatim {
            if let value = try? JSONSerialization.jsonObject(with: Data(text.utf8)) { object[key] = value }
        }
        let spliced = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        return String(decoding: spliced ?? data, as: UTF8.self)
    }
}

/// `schema` and the body's own members side by side in one object.
private struct Envelope<Body: Encodable>: Encodable {
    let schema: String
    let body: Body

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: SnakeKey.self)
        try container.encode(schema, forKey: SnakeKey(stringValue: "schema"))
        try body.encode(to: encoder)
    }
}

private struct SnakeKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }

    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
