import Foundation
import _CryptoExtras

/// The RSA keys of a JWKS (RFC 7517) as GitLab serves it at `/oauth/discovery/keys`. Keys
/// that are not RSA, are not for signatures (`use`), or name another algorithm than RS256
/// (`alg`) are left out; a set naming one key id twice is refused whole.
struct GateKeySet: Sendable {
    let keys: [String: _RSA.Signing.PublicKey]

    static let maximumBytes = 64 * 1024

    init(jwks bytes: [UInt8]) throws(GateFailure) {
        guard bytes.count <= Self.maximumBytes else {
            throw GateFailure(.keysUnreachable, "the server's key set is larger than \(Self.maximumBytes) bytes")
        }
        let json: GateJSON
        do {
            json = try GateJSON.parse(bytes)
        } catch {
            throw GateFailure(.keysUnreachable, "the server's key set is not strict JSON: \(error.detail)")
        }
        guard case .array(let entries)? = json.object?["keys"] else {
            throw GateFailure(.keysUnreachable, "the server's key set has no keys array")
        }
        var keys: [String: _RSA.Signing.PublicKey] = [:]
        for entry in entries {
            guard let jwk = entry.object, jwk["kty"]?.string == "RSA", let kid = jwk["kid"]?.string, !kid.isEmpty else { continue }
            if let use = jwk["use"], use.string != "sig" { continue }
            if let alg = jwk["alg"], alg.string != "RS256" { continue }
            guard let n = jwk["n"]?.string.flatMap({ ApprovalBase64URL.decode(Substring($0)) }),
                let e = jwk["e"]?.string.flatMap({ ApprovalBase64URL.decode(Substring($0)) }),
                let key = try? _RSA.Signing.PublicKey(n: n, e: e)
            else { continue }
            guard keys.updateValue(key, forKey: kid) == nil else {
                throw GateFailure(.keysUnreachable, "the server's key set names key \(ApprovalStatement.quoted(kid)) twice")
            }
        }
        self.keys = keys
    }
}

/// The key set cached on disk, so that most gate runs ask nothing of GitLab: used while younger
/// than the policy's maximum age, refreshed when a token names an unknown key at most once per
/// refresh interval (shared by every gate process through the cache file), and never used past
/// its age, whatever GitLab's availability (fail closed).
struct GateKeyCache {
    let path: String
    let server: String
    let maximumAge: Int64
    let refreshInterval: Int64

    /// What the cache file holds.
    struct Contents: Codable {
        var server: String
        /// When the key set was fetched (Unix seconds).
        var fetchedAt: Int64
        /// When a fetch was last tried, successful or not (the rate limit).
        var attemptedAt: Int64
        /// The JWKS exactly as received.
        var jwks: String
    }

    /// The cache, unless it is missing, unreadable, for another server, or a file someone other
    /// than the gate's user (or root) could have written: a key set another account could write
    /// is no trust anchor, so it is fetched again.
    func load() -> Contents? {
        guard let data = Self.readTrusted(path, limit: GateKeySet.maximumBytes * 2),
            let contents = try? JSONDecoder().decode(Contents.self, from: data), contents.server == server
        else { return nil }
        return contents
    }

    /// The bytes of a regular file (not a symbolic link) owned by this user or root and writable
    /// by no one else, read through the descriptor that was checked, so no file can be swapped in
    /// between the check and the read.
    static func readTrusted(_ path: String, limit: Int) -> Data? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_mode & 0o022 == 0,
            info.st_uid == geteuid() || info.st_uid == 0, info.st_size <= limit
        else { return nil }
        let data = try? FileHandle(fileDescriptor: descriptor, closeOnDealloc: false).read(upToCount: limit + 1)
        guard let data, data.count <= limit else { return nil }
        return data
    }

    func save(_ contents: Contents) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(contents) else { return }
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = path + ".\(ProcessInfo.processInfo.processIdentifier).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o644]) else { return }
        if rename(temporary, path) != 0 { try? FileManager.default.removeItem(atPath: temporary) }
    }

    func isFresh(_ contents: Contents, now: Int64) -> Bool {
        contents.fetchedAt <= now + 60 && now - contents.fetchedAt <= maximumAge
    }

    func mayRefresh(_ contents: Contents?, now: Int64) -> Bool {
        guard let contents else { return true }
        return now - contents.attemptedAt >= refreshInterval || contents.attemptedAt > now + 60
    }
}
