import Crypto
import Foundation

/// Credential IDs are key handles: the private key sealed to the key's master secret.
///
/// Format (version 1, 63 bytes):
/// `0x01 | nonce(12) | AES-256-GCM(alg(1) | flags(1) | privateKey(32)) | tag(16)`,
/// flags: bit 0 resident, bits 1–2 credProtect level (1–3),
/// key = HKDF-SHA256(masterSecret, info "ciauth-virtual-key credential v1"),
/// additional data = SHA-256(rpId). A handle from another key, or presented for another
/// relying party, fails to open and is simply "not ours".
struct CredentialWrapping {
    static let version: UInt8 = 1
    static let flagResident: UInt8 = 0x01

    struct Unwrapped {
        var algorithm: COSEAlgorithm
        var resident: Bool
        /// credProtect level (CTAP 2.1 §12.1): 1 uvOptional, 2 uvOptionalWithCredentialIDList, 3 uvRequired.
        var protection: UInt8 = 1
        var privateKey: [UInt8]
    }

    private let key: SymmetricKey

    init(masterSecret: [UInt8]) {
        key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: masterSecret),
            info: Array("ciauth-virtual-key credential v1".utf8), outputByteCount: 32)
    }

    func wrap(_ credential: Unwrapped, rpIDHash: [UInt8]) throws -> [UInt8] {
        let flags = (credential.resident ? Self.flagResident : 0) | (credential.protection & 0x03) << 1
        let plaintext = [UInt8(truncatingIfNeeded: -credential.algorithm.rawValue), flags] + credential.privateKey
        let sealed = try AES.GCM.seal(plaintext, using: key, authenticating: rpIDHash)
        return [Self.version] + Array(sealed.nonce) + Array(sealed.ciphertext) + Array(sealed.tag)
    }

    /// Nil when the handle was not made by this key for this relying party.
    func unwrap(_ credentialID: [UInt8], rpIDHash: [UInt8]) -> Unwrapped? {
        guard credentialID.count == 1 + 12 + 34 + 16, credentialID[0] == Self.version,
              let nonce = try? AES.GCM.Nonce(data: credentialID[1..<13]),
              let box = try? AES.GCM.SealedBox(nonce: nonce, ciphertext: credentialID[13..<47], tag: credentialID[47...]),
              let plaintext = try? Array(AES.GCM.open(box, using: key, authenticating: rpIDHash)),
              let algorithm = COSEAlgorithm(rawValue: -Int(plaintext[0]))
        else { return nil }
        let protection = (plaintext[1] >> 1) & 0x03
        return Unwrapped(algorithm: algorithm, resident: plaintext[1] & Self.flagResident != 0,
                         protection: protection == 0 ? 1 : protection, privateKey: Array(plaintext[2...]))
    }
}
