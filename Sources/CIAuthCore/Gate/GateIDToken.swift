import Crypto
import Foundation
import _CryptoExtras

/// A GitLab CI ID token (RFC 7519 JWT in JWS compact form, RS256), read strictly: three
/// base64url parts with no padding, a header naming `alg` RS256, `typ` JWT if present, and a
/// `kid`; header members that point at keys elsewhere (`jku`, `x5u`, `jwk`, `x5c`) or demand
/// extensions (`crit`) are refused, since the gate's keys come only from the pinned server.
struct GateIDToken: Sendable {
    let keyID: String
    /// `header.payload`, the bytes the signature covers.
    let signingInput: [UInt8]
    let signature: [UInt8]
    let claims: [String: GateJSON]

    static let maximumBytes = 16 * 1024

    init(compact text: String) throws(GateFailure) {
        guard text.utf8.count <= Self.maximumBytes else {
            throw GateFailure(.tokenOversize, "the ID token is longer than \(Self.maximumBytes) bytes")
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = ApprovalBase64URL.decode(parts[0]), !parts[0].isEmpty else {
            throw GateFailure(.tokenMalformed, "the ID token is not three base64url parts separated by dots")
        }
        // The header first: an unsigned (`alg: none`) token is refused for its algorithm.
        keyID = try Self.checkHeader(try Self.object(headerBytes, "header"))
        guard !parts[1].isEmpty, !parts[2].isEmpty, let payloadBytes = ApprovalBase64URL.decode(parts[1]),
            let signature = ApprovalBase64URL.decode(parts[2])
        else {
            throw GateFailure(.tokenMalformed, "the ID token's claims or signature are missing or not base64url without padding")
        }
        claims = try Self.object(payloadBytes, "claims")
        signingInput = Array(parts[0].utf8) + [UInt8(ascii: ".")] + Array(parts[1].utf8)
        self.signature = signature
    }

    private static func object(_ bytes: [UInt8], _ what: String) throws(GateFailure) -> [String: GateJSON] {
        let value: GateJSON
        do {
            value = try GateJSON.parse(bytes)
        } catch {
            throw GateFailure(.tokenMalformed, "the ID token's \(what) is not strict JSON: \(error.detail)")
        }
        guard let members = value.object else { throw GateFailure(.tokenMalformed, "the ID token's \(what) is not a JSON object") }
        return members
    }

    /// Returns the key id.
    private static func checkHeader(_ header: [String: GateJSON]) throws(GateFailure) -> String {
        for name in ["jku", "x5u", "jwk", "x5c", "x5t", "x5t#S256"] where header[name] != nil {
            throw GateFailure(
                .tokenKeyReference, "the ID token's header carries \(name): the gate takes keys only from the pinned server's key set")
        }
        if header["crit"] != nil { throw GateFailure(.tokenMalformed, "the ID token's header demands extensions (crit)") }
        guard let alg = header["alg"]?.string else { throw GateFailure(.tokenAlgorithm, "the ID token's header names no algorithm") }
        guard alg == "RS256" else {
            throw GateFailure(.tokenAlgorithm, "the ID token is signed with \(ApprovalStatement.quoted(String(alg.prefix(32)))), not RS256")
        }
        if let typ = header["typ"], typ.string?.uppercased() != "JWT" {
            throw GateFailure(.tokenMalformed, "the ID token's typ is not JWT")
        }
        guard let kid = header["kid"]?.string, !kid.isEmpty, kid.utf8.count <= 256 else {
            throw GateFailure(.tokenKeyUnknown, "the ID token's header names no key id (kid)")
        }
        return kid
    }

    /// RSASSA-PKCS1-v1_5 with SHA-256 under `key`.
    func signatureVerifies(with key: _RSA.Signing.PublicKey) -> Bool {
        key.isValidSignature(
            _RSA.Signing.RSASignature(rawRepresentation: signature), for: SHA256.hash(data: signingInput),
            padding: .insecurePKCS1v1_5)
    }
}
