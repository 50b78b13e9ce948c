import Crypto
import Foundation

/// Admin key lookups: `GET /keys/:id` and `GET /keys?fingerprint=` (SHA256 or MD5), each key
/// with its owner.
enum AdminKeysAPI {
    static let routes: [Route] = [
        Route("GET", "api/v4/keys", auth: .user, handler: byFingerprint),
        Route("GET", "api/v4/keys/:key_id", auth: .user, handler: byId),
    ]

    static func byId(_ context: APIContext) throws(APIError) -> SimResponse {
        try requireAdmin(context)
        return try context.store.withWorld { (world) throws(APIError) -> SimResponse in
            guard let id = Int(context.path("key_id")), let key = world.keys[id] else { throw .notFound("Key") }
            return .json(render(key, in: world))
        }
    }

    static func byFingerprint(_ context: APIContext) throws(APIError) -> SimResponse {
        try requireAdmin(context)
        guard let fingerprint = context.request.queryValue("fingerprint") else { throw .grape("fingerprint is missing") }
        return try context.store.withWorld { (world) throws(APIError) -> SimResponse in
            // SHA256 through the index; MD5 (rarely asked) by a scan.
            let found = world.key(fingerprint: fingerprint)
                ?? world.keys.values.first { md5Fingerprint($0.parsed) == fingerprint.lowercased() }
            guard let key = found else { throw .notFound("Key") }
            return .json(render(key, in: world))
        }
    }

    private static func requireAdmin(_ context: APIContext) throws(APIError) {
        guard context.caller.user?.admin == true else { throw .forbidden }
    }

    private static func render(_ key: KeyRecord, in world: SimWorld) -> JSONValue {
        guard case .object(var fields) = Entities.key(key, in: world) else { return .null }
        fields.append(("last_used_at", .null))
        fields.append(("user", world.users[key.userId].map { Entities.user($0, in: world) } ?? .null))
        return .object(fields)
    }

    /// The legacy `aa:bb:...` MD5 form.
    static func md5Fingerprint(_ key: SSHPublicKey) -> String {
        Insecure.MD5.hash(data: key.blob).map { String(format: "%02x", $0) }.joined(separator: ":")
    }
}
