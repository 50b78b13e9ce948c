import Crypto
import Foundation

/// What a FIDO authenticator signs for an OpenSSH security key (PROTOCOL.u2f, "signature"):
///
///     byte[32] SHA256(application)   \
///     byte     flags                  } authenticator data, no extensions
///     uint32   counter               /
///     byte[32] SHA256(data)          <- clientDataHash, data = SSHSIG signed data
///
/// ECDSA signs SHA-256 of these 69 bytes; Ed25519 signs the bytes themselves.
public enum AuthenticatorMessage {
    public static func bytes(application: String, flags: UInt8, counter: UInt32, signedData: some DataProtocol) -> [UInt8] {
        bytes(application: application, flags: flags, counter: counter, clientDataHash: SHA256.hash(data: signedData).bytes)
    }

    public static func bytes(application: String, flags: UInt8, counter: UInt32, clientDataHash: [UInt8]) -> [UInt8] {
        var writer = SSHWriter()
        writer.writeBytes(SHA256.hash(data: Array(application.utf8)))
        writer.writeByte(flags)
        writer.writeUInt32(counter)
        writer.writeBytes(clientDataHash)
        return writer.bytes
    }
}
