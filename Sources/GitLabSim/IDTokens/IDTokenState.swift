import Crypto
import Foundation
import _CryptoExtras

/// The instance's ID-token signing keys and what jobs declared: GitLab signs CI ID tokens
/// (RS256) with its OpenID Connect key and publishes the public keys at `/oauth/discovery/keys`.
/// Rotation adds a new current key and keeps the previous one published, as GitLab does while
/// tokens signed with it may still be in use.
struct IDTokenState: Sendable {
    struct SigningKey: Sendable {
        var kid: String
        var key: _RSA.Signing.PrivateKey
    }

    var issuer: String?
    var current: SigningKey?
    var previous: SigningKey?
    /// `id_tokens:` of each job, by job id.
    var specs: [Int: [String: SimSeed.IDTokenSpec]] = [:]
    /// Names of protected environments, by project id.
    var protectedEnvironments: [Int: Set<String>] = [:]

    init() {}

    init(seed: SimSeed.IDTokens?, needed: Bool) throws(SimError) {
        issuer = seed?.issuer
        if let pem = seed?.signingKeyPem {
            do {
                current = Self.named(try _RSA.Signing.PrivateKey(pemRepresentation: pem))
            } catch {
                throw .invalidSeed("id_tokens.signing_key_pem: \(error)")
            }
        } else if needed {
            current = try Self.generate()
        }
    }

    /// A new current key; the old one stays published as the previous key.
    mutating func rotate() throws(SimError) {
        previous = current
        current = try Self.generate()
    }

    static func generate() throws(SimError) -> SigningKey {
        do {
            return named(try _RSA.Signing.PrivateKey(keySize: .bits2048))
        } catch {
            throw .invalidRequest("cannot make an RSA key: \(error)")
        }
    }

    /// The key id: base64url of the SHA-256 of the public key's PKCS#1 DER, as a JWK thumbprint would be unique.
    static func named(_ key: _RSA.Signing.PrivateKey) -> SigningKey {
        let digest = SHA256.hash(data: key.publicKey.pkcs1DERRepresentation)
        return SigningKey(kid: IDTokenJWT.base64url(Array(digest)), key: key)
    }

    /// The JWKS document: the current key, then the previous one.
    var jwks: JSONValue {
        let keys = [current, previous].compactMap { $0 }.compactMap { signing -> JSONValue? in
            guard let (n, e) = IDTokenJWT.modulusAndExponent(pkcs1: Array(signing.key.publicKey.pkcs1DERRepresentation)) else {
                return nil
            }
            return .object([
                ("kty", .string("RSA")), ("kid", .string(signing.kid)), ("e", .string(IDTokenJWT.base64url(e))),
                ("n", .string(IDTokenJWT.base64url(n))), ("use", .string("sig")), ("alg", .string("RS256")),
            ])
        }
        return .object([("keys", .array(keys))])
    }
}

/// Compact JWS (RS256) and the bits of DER needed to publish an RSA key.
enum IDTokenJWT {
    static func sign(claims: JSONValue, with signing: IDTokenState.SigningKey) throws -> String {
        let header = JSONValue.object([("kid", .string(signing.kid)), ("typ", .string("JWT")), ("alg", .string("RS256"))])
        let input = base64url(Array(header.serialized.utf8)) + "." + base64url(Array(claims.serialized.utf8))
        let signature = try signing.key.signature(for: SHA256.hash(data: Array(input.utf8)), padding: .insecurePKCS1v1_5)
        return input + "." + base64url(Array(signature.rawRepresentation))
    }

    static func base64url(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }` (RFC 8017 A.1.1),
    /// as unsigned big-endian bytes without leading zeros.
    static func modulusAndExponent(pkcs1 der: [UInt8]) -> ([UInt8], [UInt8])? {
        var index = 0
        func length() -> Int? {
            guard index < der.count else { return nil }
            let first = Int(der[index])
            index += 1
            guard first & 0x80 != 0 else { return first }
            let count = first & 0x7F
            guard count >= 1, count <= 4, index + count <= der.count else { return nil }
            var value = 0
            for _ in 0..<count {
                value = value << 8 | Int(der[index])
                index += 1
            }
            return value
        }
        func integer() -> [UInt8]? {
            guard index < der.count, der[index] == 0x02 else { return nil }
            index += 1
            guard let count = length(), index + count <= der.count else { return nil }
            var bytes = Array(der[index..<index + count])
            index += count
            while bytes.count > 1, bytes[0] == 0 { bytes.removeFirst() }
            return bytes
        }
        guard der.first == 0x30 else { return nil }
        index = 1
        guard length() != nil, let n = integer(), let e = integer() else { return nil }
        return (n, e)
    }
}
