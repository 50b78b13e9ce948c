import Foundation

/// GitLab's validation of a new SSH key (`POST /user/keys`), producing its error bodies.
enum KeyRules {
    static let usageTypes: Set<String> = ["auth", "signing", "auth_and_signing"]
    static let maxTitleLength = 255
    static let maxKeyLength = 5000
    static let forbiddenTypeMessage = "type is forbidden. Must be RSA, ECDSA, ED25519, ECDSA_SK, or ED25519_SK"

    struct NewKey {
        var title: String
        var key: String
        var expiresAt: Date?
        var usageType: String
    }

    /// Parameter-level (Grape) checks: presence and formats. Throws `{"error": ...}` bodies.
    static func parameters(from body: RequestParameters) throws(APIError) -> NewKey {
        var missing: [String] = []
        let key = try body.string("key")
        let title = try body.string("title")
        if key == nil { missing.append("key is missing") }
        if title == nil { missing.append("title is missing") }
        guard missing.isEmpty, let key, let title else { throw .grape(missing.joined(separator: ", ")) }
        var expiresAt: Date?
        if let text = try body.string("expires_at"), !text.isEmpty {
            guard let date = SimClock.parse(text) else { throw .grape("expires_at is invalid") }
            expiresAt = date
        }
        let usage = try body.string("usage_type") ?? "auth_and_signing"
        guard usageTypes.contains(usage) else { throw .grape("usage_type does not have a valid value") }
        return NewKey(title: title, key: key, expiresAt: expiresAt, usageType: usage)
    }

    /// Model-level checks, all reported together as `{"message": {field: [..]}}`.
    static func validate(_ new: NewKey, in world: SimWorld, now: Date) throws(APIError) -> SSHPublicKey {
        var errors: [(String, [String])] = []
        func add(_ field: String, _ message: String) {
            if let index = errors.firstIndex(where: { $0.0 == field }) {
                errors[index].1.append(message)
            } else {
                errors.append((field, [message]))
            }
        }
        if new.title.trimmingCharacters(in: .whitespaces).isEmpty { add("title", "can't be blank") }
        if new.title.count > maxTitleLength { add("title", "is too long (maximum is 255 characters)") }
        if new.key.count > maxKeyLength { add("key", "is too long (maximum is 5000 characters)") }
        var parsed: SSHPublicKey?
        do {
            parsed = try SSHPublicKey(line: new.key)
        } catch .forbiddenType {
            add("key", forbiddenTypeMessage)
        } catch {
            add("key", "is invalid")
            add("fingerprint_sha256", "cannot be generated")
        }
        if let parsed, world.key(fingerprint: parsed.fingerprintSHA256) != nil {
            add("fingerprint", "has already been taken")
            add("key", "has already been taken")
        }
        if let expiry = new.expiresAt, expiry <= now { add("key", "has expired") }
        guard errors.isEmpty, let parsed else {
            throw APIError(status: 400, body: .object([("message", .object(errors.map { ($0.0, .array($0.1.map(JSONValue.string))) }))]))
        }
        return parsed
    }
}
