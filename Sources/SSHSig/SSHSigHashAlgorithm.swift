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
        case .sha256: Array(SHA256.hash(data: message))
        case .sha512: Array(SHA512.hash(data: message))
        }
    }
}
