import Crypto
import _CryptoExtras
import Foundation

/// PIN/UV auth protocols one and two (CTAP 2.1 §6.5.6 and §6.5.7), authenticator side.
enum PinUvAuthProtocol: Int, CaseIterable {
    case one = 1
    case two = 2

    /// The keys derived from one ECDH agreement with the platform.
    struct SharedSecret {
        let hmacKey: [UInt8]
        let aesKey: [UInt8]
    }

    /// ecdh(): Z = x-coordinate of the shared point, then KDF (§6.5.6 / §6.5.7).
    func sharedSecret(privateKey: P256.KeyAgreement.PrivateKey, platformKey: CBORValue) throws(CTAP2Status) -> SharedSecret {
        guard platformKey[1]?.intValue == 2, platformKey[-1]?.intValue == 1,
              let x = platformKey[-2]?.bytesValue, let y = platformKey[-3]?.bytesValue,
              x.count == 32, y.count == 32
        else { throw .invalidParameter }
        guard let publicKey = try? P256.KeyAgreement.PublicKey(x963Representation: [0x04] + x + y),
              let shared = try? privateKey.sharedSecretFromKeyAgreement(with: publicKey)
        else { throw .invalidParameter }
        let z = shared.withUnsafeBytes { Array($0) }
        switch self {
        case .one:
            let key = Array(SHA256.hash(data: z))
            return SharedSecret(hmacKey: key, aesKey: key)
        case .two:
            let salt = [UInt8](repeating: 0, count: 32)
            return SharedSecret(hmacKey: Self.hkdf(z, salt: salt, info: "CTAP2 HMAC key"),
                                aesKey: Self.hkdf(z, salt: salt, info: "CTAP2 AES key"))
        }
    }

    func encrypt(_ secret: SharedSecret, _ plaintext: [UInt8]) throws(CTAP2Status) -> [UInt8] {
        let iv = self == .one ? [UInt8](repeating: 0, count: 16) : SecureRandom.bytes(16)
        guard let cbcIV = try? AES._CBC.IV(ivBytes: iv),
              let ciphertext = try? AES._CBC.encrypt(plaintext, using: SymmetricKey(data: secret.aesKey), iv: cbcIV, noPadding: true)
        else { throw .other }
        return self == .one ? Array(ciphertext) : iv + Array(ciphertext)
    }

    /// Nil when the ciphertext has the wrong shape.
    func decrypt(_ secret: SharedSecret, _ data: [UInt8]) -> [UInt8]? {
        let (iv, ciphertext): ([UInt8], [UInt8]) = self == .one
            ? ([UInt8](repeating: 0, count: 16), data)
            : (Array(data.prefix(16)), Array(data.dropFirst(16)))
        guard !ciphertext.isEmpty, ciphertext.count % 16 == 0, iv.count == 16,
              let cbcIV = try? AES._CBC.IV(ivBytes: iv),
              let plaintext = try? AES._CBC.decrypt(ciphertext, using: SymmetricKey(data: secret.aesKey), iv: cbcIV, noPadding: true)
        else { return nil }
        return Array(plaintext)
    }

    /// authenticate(key, message): HMAC-SHA-256, truncated to 16 bytes for protocol one.
    func authenticate(key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        let mac = Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
        return self == .one ? Array(mac.prefix(16)) : mac
    }

    func verify(key: [UInt8], _ message: [UInt8], signature: [UInt8]) -> Bool {
        let expected = authenticate(key: key, message)
        guard signature.count == expected.count else { return false }
        return zip(expected, signature).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// The COSE_Key of the authenticator's key-agreement key (alg -25, ECDH-ES+HKDF-256).
    static func coseKey(_ publicKey: P256.KeyAgreement.PublicKey) -> CBORValue {
        let point = Array(publicKey.rawRepresentation)
        return .map([1: 2, 3: -25, -1: 1, -2: .bytes(Array(point[0..<32])), -3: .bytes(Array(point[32..<64]))])
    }

    private static func hkdf(_ z: [UInt8], salt: [UInt8], info: String) -> [UInt8] {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: z), salt: salt, info: Array(info.utf8), outputByteCount: 32)
            .withUnsafeBytes { Array($0) }
    }
}
