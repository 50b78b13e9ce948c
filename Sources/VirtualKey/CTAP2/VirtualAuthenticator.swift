import Crypto
import Foundation
import Logging

/// A software CTAP2 authenticator: one state (credentials, counter, PIN), shared by every
/// connection of a `VirtualKeyServer`. A TEST device, not a security key: its keys live in
/// process memory and in a plain JSON file.
public final class VirtualAuthenticator: @unchecked Sendable {
    public let configuration: VirtualAuthenticatorConfiguration
    let presence: UserPresence
    let logger: Logger

    /// Guards `state` and `session`; CTAPHID's busy rule already serializes CBOR requests,
    /// the lock covers the control socket and in-process callers.
    private let lock = NSLock()
    private var state: AuthenticatorState
    private var session = VolatileSession()
    private let stateFile: StateFile?

    public init(config configuration: VirtualAuthenticatorConfiguration = .init()) throws(VirtualKeyError) {
        self.configuration = configuration
        logger = configuration.logger
        presence = UserPresence(mode: configuration.touch, timeout: configuration.userActionTimeout)
        stateFile = configuration.stateFile.map(StateFile.init(path:))
        state = try stateFile?.load() ?? .fresh()
        guard (CTAPHID.initPayloadSize...CTAPHID.maxFramedMessageSize).contains(configuration.maxMessageSize) else {
            throw .invalidConfiguration("maxMessageSize must be within \(CTAPHID.initPayloadSize)...\(CTAPHID.maxFramedMessageSize)")
        }
        if let pin = configuration.initialPIN, state.pinHash == nil {
            guard let hash = ClientPIN.pinHash(ofPIN: Array(pin.utf8)) else {
                throw .invalidConfiguration("PIN must be 4 to 63 bytes of UTF-8")
            }
            state.pinHash = Data(hash)
            state.pinRetries = AuthenticatorState.maxPINRetries
        }
        try stateFile?.save(state)
    }

    /// Simulates a touch (consumed by the current or next wait for user presence).
    public func touch() { presence.touch() }

    /// Simulates the person refusing: the current or next wait ends with OPERATION_DENIED.
    public func deny() { presence.deny() }

    /// True while a request waits for a touch.
    public var isWaitingForTouch: Bool { presence.isWaiting }

    /// Unplug and replug: forgets PIN tokens, key-agreement key and per-boot PIN failures.
    public func powerCycle() {
        lock.withLock { session = VolatileSession() }
    }

    static let maxUVRetries = 3

    /// Current global signature counter (tests check it moves).
    public var signatureCounter: UInt32 { lock.withLock { state.signatureCounter } }

    /// PIN retries left.
    public var pinRetries: Int { lock.withLock { state.pinRetries } }

    /// Handles one CTAPHID_CBOR request (`command byte || CBOR map`); returns `status || CBOR`.
    public func handle(cborRequest request: [UInt8], context: RequestContext) -> [UInt8] {
        guard let commandByte = request.first else { return [CTAP2Status.invalidLength.rawValue] }
        guard let command = CTAP2Command(rawValue: commandByte) else { return [CTAP2Status.invalidCommand.rawValue] }
        logger.debug("CTAP2 request", metadata: ["command": "\(command)", "bytes": "\(request.count)"])
        do {
            let parameters = try decodeParameters(Array(request.dropFirst()), command: command)
            let response = try dispatch(command, parameters, context)
            return [CTAP2Status.ok.rawValue] + (response.map(CBOREncoder.encode) ?? [])
        } catch {
            logger.debug("CTAP2 error", metadata: ["command": "\(command)", "status": "\(error)"])
            return [error.rawValue]
        }
    }

    private func decodeParameters(_ body: [UInt8], command: CTAP2Command) throws(CTAP2Status) -> CBORValue {
        if body.isEmpty { return .map([:]) }
        guard let value = try? CBORDecoder.decode(body) else { throw .invalidCBOR }
        guard case .map = value else { throw .cborUnexpectedType }
        return value
    }

    private func dispatch(_ command: CTAP2Command, _ parameters: CBORValue, _ context: RequestContext) throws(CTAP2Status) -> CBORValue? {
        switch command {
        case .getInfo: return getInfo()
        case .makeCredential: return try makeCredential(parameters, context)
        case .getAssertion: return try getAssertion(parameters, context)
        case .getNextAssertion: return try getNextAssertion()
        case .clientPIN: return try clientPIN(parameters, context)
        case .reset: return try reset(context)
        case .selection:
            // authenticatorSelection (CTAP 2.1 §6.9): just a touch.
            try presence.collect(context)
            return nil
        }
    }

    /// Runs `body` with exclusive access to the state, saving it afterwards if it changed.
    func withState<T>(_ body: (inout AuthenticatorState, inout VolatileSession) throws(CTAP2Status) -> T) throws(CTAP2Status) -> T {
        lock.lock()
        let before = state
        defer {
            // Also on a thrown status: a failed PIN attempt must still cost its retry.
            if state != before { persist() }
            lock.unlock()
        }
        return try body(&state, &session)
    }

    private func persist() {
        do {
            try stateFile?.save(state)
        } catch {
            logger.error("cannot save state", metadata: ["error": "\(error)"])
        }
    }

    private func reset(_ context: RequestContext) throws(CTAP2Status) -> CBORValue? {
        try presence.collect(context)
        try withState { state, session in
            state = .fresh()
            session = VolatileSession()
        }
        logger.info("reset: all credentials and the PIN are gone")
        return nil
    }
}

/// What a power cycle forgets.
struct VolatileSession {
    struct PinToken {
        var value: [UInt8]
        /// CTAP 2.1 permissions (0x01 mc, 0x02 ga); nil for a CTAP 2.0 getPinToken token.
        var permissions: UInt8?
        var rpID: String?
    }

    struct PendingAssertions {
        var rpID: String
        var clientDataHash: [UInt8]
        var flags: UInt8
        var credentials: [AuthenticatorState.ResidentCredential]
        var expires: ContinuousClock.Instant
    }

    var keyAgreementKey = P256.KeyAgreement.PrivateKey()
    var pinToken: PinToken?
    var consecutivePINFailures = 0
    /// Built-in UV attempts left (kept in memory: a power cycle restores them).
    var uvRetries = VirtualAuthenticator.maxUVRetries
    var pendingAssertions: PendingAssertions?
}
