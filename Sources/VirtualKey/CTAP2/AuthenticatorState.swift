import Foundation

/// Everything that survives a power cycle; saved as JSON when a state file is configured.
///
/// Private keys are not stored here: every credential ID wraps its own key (see
/// `CredentialWrapping`); resident entries keep the ID plus the user data to return.
struct AuthenticatorState: Codable, Equatable {
    struct ResidentCredential: Codable, Equatable {
        var credentialID: Data
        var rpID: String
        var userID: Data
        var userName: String?
        var userDisplayName: String?
        var createdAt: Date
    }

    static let currentVersion = 1
    static let maxPINRetries = 8
    static let maxResidentCredentials = 25

    var version = Self.currentVersion
    var masterSecret: Data
    var signatureCounter: UInt32 = 0
    /// LEFT(SHA-256(PIN), 16), as CTAP 2.1 §6.5.5.5 stores it; nil = no PIN set.
    var pinHash: Data?
    var pinRetries = Self.maxPINRetries
    var residentCredentials: [ResidentCredential] = []

    static func fresh() -> AuthenticatorState {
        AuthenticatorState(masterSecret: Data(SecureRandom.bytes(32)))
    }
}

/// Loads and atomically saves the state file.
struct StateFile {
    let path: String

    func load() throws(VirtualKeyError) -> AuthenticatorState? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let state = try JSONDecoder.stateDecoder.decode(AuthenticatorState.self, from: data)
            guard state.version == AuthenticatorState.currentVersion, state.masterSecret.count == 32,
                  (0...AuthenticatorState.maxPINRetries).contains(state.pinRetries),
                  state.pinHash.map({ $0.count == 16 }) ?? true
            else { throw VirtualKeyError.invalidStateFile("unsupported version or out-of-range field in \(path)") }
            return state
        } catch let error as VirtualKeyError {
            throw error
        } catch {
            throw .invalidStateFile("\(path): \(error)")
        }
    }

    func save(_ state: AuthenticatorState) throws(VirtualKeyError) {
        do {
            let data = try JSONEncoder.stateEncoder.encode(state)
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
            // The master secret unwraps every credential: owner-only, like an SSH private key.
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        } catch {
            throw .invalidStateFile("cannot write \(path): \(error)")
        }
    }
}

extension JSONEncoder {
    static var stateEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}

extension JSONDecoder {
    static var stateDecoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}

enum SecureRandom {
    static func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}
