import Crypto
import Foundation

/// Message hash algorithms PROTOCOL.sshsig allows.
public enum SSHSigHashAlgorithm: String, CaseIterable, Hashable, Sendable {
    case sha256
    case sha512

    public init(name: String) throws(SSHSigError) {
        guard let algorithm = SSHSigHashAlgorithm(rawValue: name) else { throw .unsupportedHashAlgorithm(name) }
        self = algorithm
    }

    func hash(_ message: some DataProtocol) -> [UInt8] {
        switch self {
        case .sha256: SHA256.hash(data: message).bytes
        case .sha512: SHA512.hash(data: message).bytes
        }
    }
}

extension Digest {
    /// The digest's bytes, copied from its storage: `Array(digest)` would go through the digest's
    /// iterator, a generic type the runtime builds on first use with a scan of every conformance
    /// record of the binary (docs/architecture.md, "What a start costs").
    var bytes: [UInt8] { withUnsafeBytes { Array($0) } }
}
