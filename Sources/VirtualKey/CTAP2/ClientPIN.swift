import Crypto
import Foundation

/// authenticatorClientPIN (CTAP 2.1 §6.5): request keys and subcommands.
enum ClientPIN {
    static let maxConsecutiveFailures = 3
    static let minimumPINLength = 4
    static let paddedPINLength = 64

    enum Subcommand: Int {
        case getPINRetries = 1
        case getKeyAgreement = 2
        case setPIN = 3
        case changePIN = 4
        case getPINToken = 5
        case getPinUvAuthTokenUsingUV = 6
        case getUVRetries = 7
        case getPinUvAuthTokenUsingPIN = 9
    }

    /// LEFT(SHA-256(pin), 16) for a PIN within policy; nil otherwise.
    static func pinHash(ofPIN pin: [UInt8]) -> [UInt8]? {
        guard String(validating: pin, as: UTF8.self).map({ $0.count >= minimumPINLength }) == true,
              pin.count < paddedPINLength
        else { return nil }
        return Array(SHA256.hash(data: pin).prefix(16))
    }

    /// Strips the zero padding of a decrypted newPinEnc (§6.5.5.5); nil if malformed.
    static func unpad(_ padded: [UInt8]) -> [UInt8]? {
        guard padded.count == paddedPINLength else { return nil }
        let pin = Array(padded.prefix { $0 != 0 })
        guard padded[pin.count...].allSatisfy({ $0 == 0 }) else { return nil }
        return pin
    }
}

extension VirtualAuthenticator {
    func clientPIN(_ parameters: CBORValue, _ context: RequestContext) throws(CTAP2Status) -> CBORValue? {
        guard let number = try parameters.required(2).intValue else { throw .cborUnexpectedType }
        guard let subcommand = ClientPIN.Subcommand(rawValue: number) else { throw .invalidSubcommand }
        switch subcommand {
        case .getPINRetries:
            return try withState { state, _ in .map([3: .int(state.pinRetries)]) }
        case .getUVRetries:
            guard configuration.builtInUV else { throw .invalidSubcommand }
            return try withState { _, session in .map([5: .int(session.uvRetries)]) }
        case .getKeyAgreement:
            _ = try pinProtocol(parameters, key: 1)
            return try withState { _, session in
                .map([1: PinUvAuthProtocol.coseKey(session.keyAgreementKey.publicKey)])
            }
        case .setPIN: return try setPIN(parameters)
        case .changePIN: return try changePIN(parameters)
        case .getPINToken: return try pinToken(parameters, permissions: nil, rpID: nil)
        case .getPinUvAuthTokenUsingPIN:
            let (permissions, rpID) = try requestedPermissions(parameters)
            return try pinToken(parameters, permissions: permissions, rpID: rpID)
        case .getPinUvAuthTokenUsingUV:
            return try uvToken(parameters, context)
        }
    }

    /// §6.5.5.5: only when no PIN is set; pinUvAuthParam = authenticate(shared, newPinEnc).
    private func setPIN(_ parameters: CBORValue) throws(CTAP2Status) -> CBORValue? {
        let pinProtocol = try pinProtocol(parameters, key: 1)
        let platformKey = try parameters.required(3)
        let param = try parameters.requiredBytes(4)
        let newPinEnc = try parameters.requiredBytes(5)
        return try withState { state, session throws(CTAP2Status) in
            guard state.pinHash == nil else { throw .notAllowed }
            let secret = try pinProtocol.sharedSecret(privateKey: session.keyAgreementKey, platformKey: platformKey)
            guard pinProtocol.verify(key: secret.hmacKey, newPinEnc, signature: param) else { throw .pinAuthInvalid }
            state.pinHash = Data(try newPINHash(pinProtocol, secret, newPinEnc))
            state.pinRetries = AuthenticatorState.maxPINRetries
            return nil
        }
    }

    /// §6.5.5.6: pinUvAuthParam = authenticate(shared, newPinEnc || pinHashEnc).
    private func changePIN(_ parameters: CBORValue) throws(CTAP2Status) -> CBORValue? {
        let pinProtocol = try pinProtocol(parameters, key: 1)
        let platformKey = try parameters.required(3)
        let param = try parameters.requiredBytes(4)
        let newPinEnc = try parameters.requiredBytes(5)
        let pinHashEnc = try parameters.requiredBytes(6)
        return try withState { state, session throws(CTAP2Status) in
            try checkPINUsable(state, session)
            let secret = try pinProtocol.sharedSecret(privateKey: session.keyAgreementKey, platformKey: platformKey)
            guard pinProtocol.verify(key: secret.hmacKey, newPinEnc + pinHashEnc, signature: param) else { throw .pinAuthInvalid }
            try checkPINHash(pinProtocol, secret, pinHashEnc, &state, &session)
            state.pinHash = Data(try newPINHash(pinProtocol, secret, newPinEnc))
            session.pinToken = nil
            return nil
        }
    }

    /// getPinToken (§6.5.5.7.1, permissions nil) and getPinUvAuthTokenUsingPinWithPermissions (§6.5.5.7.2).
    private func pinToken(_ parameters: CBORValue, permissions: UInt8?, rpID: String?) throws(CTAP2Status) -> CBORValue {
        let pinProtocol = try pinProtocol(parameters, key: 1)
        let platformKey = try parameters.required(3)
        let pinHashEnc = try parameters.requiredBytes(6)
        return try withState { state, session throws(CTAP2Status) in
            try checkPINUsable(state, session)
            let secret = try pinProtocol.sharedSecret(privateKey: session.keyAgreementKey, platformKey: platformKey)
            try checkPINHash(pinProtocol, secret, pinHashEnc, &state, &session)
            let token = SecureRandom.bytes(32)
            session.pinToken = .init(value: token, permissions: permissions, rpID: rpID)
            return .map([2: .bytes(try pinProtocol.encrypt(secret, token))])
        }
    }

    /// getPinUvAuthTokenUsingUvWithPermissions (§6.5.5.7.3): built-in UV succeeds unless
    /// configured to fail.
    private func uvToken(_ parameters: CBORValue, _ context: RequestContext) throws(CTAP2Status) -> CBORValue {
        guard configuration.builtInUV else { throw .invalidSubcommand }
        let pinProtocol = try pinProtocol(parameters, key: 1)
        let platformKey = try parameters.required(3)
        let (permissions, rpID) = try requestedPermissions(parameters)
        try performBuiltInUV()
        return try withState { _, session throws(CTAP2Status) in
            let secret = try pinProtocol.sharedSecret(privateKey: session.keyAgreementKey, platformKey: platformKey)
            let token = SecureRandom.bytes(32)
            session.pinToken = .init(value: token, permissions: permissions, rpID: rpID)
            return .map([2: .bytes(try pinProtocol.encrypt(secret, token))])
        }
    }

    /// Permissions (key 9) and optional rpId (key 10); only mc and ga exist on this key.
    private func requestedPermissions(_ parameters: CBORValue) throws(CTAP2Status) -> (UInt8, String?) {
        guard let value = try parameters.required(9).intValue else { throw .cborUnexpectedType }
        guard value != 0 else { throw .invalidParameter }
        let supported = Int(Self.permissionMakeCredential | Self.permissionGetAssertion)
        guard value & ~supported == 0 else { throw .unauthorizedPermission }
        let rpID = try parameters[10].map { value throws(CTAP2Status) -> String in
            guard let text = value.textValue else { throw .cborUnexpectedType }
            return text
        }
        return (UInt8(value), rpID)
    }

    private func checkPINUsable(_ state: AuthenticatorState, _ session: VolatileSession) throws(CTAP2Status) {
        guard state.pinHash != nil else { throw .pinNotSet }
        guard state.pinRetries > 0 else { throw .pinBlocked }
        guard session.consecutivePINFailures < ClientPIN.maxConsecutiveFailures else { throw .pinAuthBlocked }
    }

    /// Decrements retries first, restores them on a match (§6.5.5.7.1 steps 5–7).
    private func checkPINHash(
        _ pinProtocol: PinUvAuthProtocol, _ secret: PinUvAuthProtocol.SharedSecret, _ pinHashEnc: [UInt8],
        _ state: inout AuthenticatorState, _ session: inout VolatileSession
    ) throws(CTAP2Status) {
        state.pinRetries -= 1
        guard let hash = pinProtocol.decrypt(secret, pinHashEnc), hash.count == 16, Data(hash) == state.pinHash else {
            session.keyAgreementKey = .init()
            session.consecutivePINFailures += 1
            if state.pinRetries == 0 { throw .pinBlocked }
            if session.consecutivePINFailures >= ClientPIN.maxConsecutiveFailures { throw .pinAuthBlocked }
            throw .pinInvalid
        }
        state.pinRetries = AuthenticatorState.maxPINRetries
        session.consecutivePINFailures = 0
    }

    private func newPINHash(_ pinProtocol: PinUvAuthProtocol, _ secret: PinUvAuthProtocol.SharedSecret, _ newPinEnc: [UInt8]) throws(CTAP2Status) -> [UInt8] {
        guard let padded = pinProtocol.decrypt(secret, newPinEnc), let pin = ClientPIN.unpad(padded),
              let hash = ClientPIN.pinHash(ofPIN: pin)
        else { throw .pinPolicyViolation }
        return hash
    }
}
