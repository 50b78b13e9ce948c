import Crypto
import Foundation

/// An OpenSSH public key line (`type base64 [comment]`), parsed strictly: the blob's own type
/// must equal the line's, every field must be present and well-formed, no trailing bytes.
struct SSHPublicKey: Sendable, Equatable {
    /// Key types GitLab accepts by default (DSA is forbidden by default).
    static let allowedTypes: Set<String> = [
        "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-ed25519",
        "sk-ecdsa-sha2-nistp256@openssh.com", "sk-ssh-ed25519@openssh.com",
    ]

    enum Problem: Error, Equatable {
        case invalid
        case forbiddenType
    }

    let type: String
    let blob: [UInt8]
    /// `SHA256:` + unpadded base64 of the SHA-256 of the blob, as `ssh-keygen -l` prints it.
    /// Computed once: the instance-wide uniqueness index looks it up for every new key.
    let fingerprintSHA256: String

    var base64Blob: String { Data(blob).base64EncodedString() }

    init(line: String) throws(Problem) {
        let tokens = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
        guard tokens.count >= 2, let data = Data(base64Encoded: String(tokens[1])) else { throw .invalid }
        let type = String(tokens[0])
        if type == "ssh-dss" { throw .forbiddenType }
        guard SSHPublicKey.allowedTypes.contains(type) else { throw .invalid }
        try SSHPublicKey.validate(blob: Array(data), type: type)
        self.type = type
        self.blob = Array(data)
        let digest = Data(SHA256.hash(data: data)).base64EncodedString()
        fingerprintSHA256 = "SHA256:" + digest.replacingOccurrences(of: "=", with: "")
    }

    private static func validate(blob: [UInt8], type: String) throws(Problem) {
        var reader = WireReader(blob[...])
        guard try reader.readString() == Array(type.utf8) else { throw .invalid }
        switch type {
        case "ssh-ed25519":
            guard try reader.readString().count == 32 else { throw .invalid }
        case "sk-ssh-ed25519@openssh.com":
            guard try reader.readString().count == 32 else { throw .invalid }
            guard try !reader.readString().isEmpty else { throw .invalid }
        case "ssh-rsa":
            _ = try reader.readString()
            let modulus = try reader.readString().drop { $0 == 0 }
            guard modulus.count * 8 >= 1024 else { throw .invalid }
        case "sk-ecdsa-sha2-nistp256@openssh.com":
            try validateECDSA(reader: &reader, curve: "nistp256")
            guard try !reader.readString().isEmpty else { throw .invalid }
        default:
            try validateECDSA(reader: &reader, curve: String(type.dropFirst("ecdsa-sha2-".count)))
        }
        guard reader.isAtEnd else { throw .invalid }
    }

    /// The curve name must match the type and the point must lie on that curve.
    private static func validateECDSA(reader: inout WireReader, curve: String) throws(Problem) {
        guard try reader.readString() == Array(curve.utf8) else { throw .invalid }
        let point = try reader.readString()
        do {
            switch curve {
            case "nistp256": _ = try P256.Signing.PublicKey(x963Representation: point)
            case "nistp384": _ = try P384.Signing.PublicKey(x963Representation: point)
            case "nistp521": _ = try P521.Signing.PublicKey(x963Representation: point)
            default: throw Problem.invalid
            }
        } catch {
            throw .invalid
        }
    }
}

/// Reads SSH wire-format strings (uint32 length + bytes), throwing on truncation.
struct WireReader {
    private var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    var isAtEnd: Bool { bytes.isEmpty }

    mutating func readString() throws(SSHPublicKey.Problem) -> [UInt8] {
        guard bytes.count >= 4 else { throw .invalid }
        let length = bytes.prefix(4).reduce(0) { ($0 << 8) | Int($1) }
        bytes = bytes.dropFirst(4)
        guard length <= bytes.count else { throw .invalid }
        defer { bytes = bytes.dropFirst(length) }
        return Array(bytes.prefix(length))
    }
}
