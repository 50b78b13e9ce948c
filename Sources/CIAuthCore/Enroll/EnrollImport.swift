import Foundation
import SSHSig

/// Reads an existing OpenSSH security-key private key file (`id_ecdsa_sk`, `id_ed25519_sk`)
/// for `ciauth enroll --import`.
enum EnrollImport {
    /// Key files are tiny; anything larger is not one.
    static let maximumFileSize = 64 * 1024

    static func read(path: String) throws(EnrollError) -> SKPrivateKeyFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EnrollError(.importUnreadable, "cannot read \(path)")
        }
        guard data.count <= maximumFileSize, let text = String(data: data, encoding: .utf8) else {
            throw EnrollError(.importUnreadable, "\(path) is not an OpenSSH private key file")
        }
        do {
            return try SKPrivateKeyFile(armored: text)
        } catch SSHSigError.encryptedPrivateKey {
            throw EnrollError(
                .importEncrypted,
                "\(path) is protected by a passphrase, which ciauth cannot use. Remove the passphrase from a copy and import that: `cp \(path) /tmp/ciauth-import && ssh-keygen -p -N \"\" -f /tmp/ciauth-import`, then `ciauth enroll --import /tmp/ciauth-import`. For a resident key, `ssh-keygen -K` exports it again without a passphrase.")
        } catch SSHSigError.unsupportedKeyType(let type), SSHSigError.notSecurityKey(let type) {
            throw EnrollError(.importUnreadable, "\(path) holds a \(type) key; only security keys (ecdsa-sk, ed25519-sk) can approve")
        } catch {
            throw EnrollError(.importUnreadable, "\(path) is not an unencrypted OpenSSH security-key private key: \(error)")
        }
    }
}
