import Foundation
import Logging

/// How the simulated person reacts when the key asks for a touch.
public enum TouchMode: Equatable, Sendable {
    /// Touches at once.
    case auto
    /// Never touches: requests end with USER_ACTION_TIMEOUT (or a CANCEL).
    case never
    /// Touches after this delay (a control-socket `touch` counts earlier).
    case after(Duration)
    /// Touches only when told: `VirtualAuthenticator.touch()` or a `touch` line on the control socket.
    case wait

    /// Parses `auto`, `never`, `wait` or `after=DURATION` (`250ms`, `2s`, `1.5s`).
    public init?(argument: String) {
        switch argument {
        case "auto": self = .auto
        case "never": self = .never
        case "wait": self = .wait
        default:
            guard argument.hasPrefix("after="), let delay = Self.parseDuration(String(argument.dropFirst(6))) else { return nil }
            self = .after(delay)
        }
    }

    static func parseDuration(_ text: String) -> Duration? {
        if text.hasSuffix("ms"), let ms = Int(text.dropLast(2)), ms >= 0 { return .milliseconds(ms) }
        if text.hasSuffix("s"), let seconds = Double(text.dropLast(1)), seconds >= 0, seconds < 3600 {
            return .milliseconds(Int(seconds * 1000))
        }
        return nil
    }
}

/// Which attestation statement makeCredential returns.
public enum AttestationMode: String, Sendable, CaseIterable {
    /// `packed` signed by the built-in test attestation certificate (x5c present).
    case packed
    /// `packed` signed by a certificate of the vendor-like chain: x5c = [leaf, intermediate].
    case packedChain = "packed-chain"
    /// Like `packedChain`, but x5c's intermediate is an impostor with the right name and the
    /// wrong key: a verifier must reject the chain.
    case packedBrokenChain = "packed-broken-chain"
    /// `packed` self attestation: signed with the new credential's own key, no x5c.
    case `self`
    /// `none`: empty attestation statement.
    case none
}

/// Everything that shapes one virtual authenticator.
public struct VirtualAuthenticatorConfiguration: Sendable {
    public var touch: TouchMode = .auto
    /// How long a request waits for a touch before USER_ACTION_TIMEOUT.
    public var userActionTimeout: Duration = .seconds(30)
    /// PIN to set when the state has none (nil: no PIN).
    public var initialPIN: String?
    /// Built-in user verification (like a fingerprint reader) that always succeeds.
    public var builtInUV = false
    /// Built-in user verification fails every time (needs `builtInUV`): UV_INVALID, and
    /// UV_BLOCKED once `maxUVRetries` attempts have failed, until a power cycle.
    public var builtInUVFails = false
    /// getInfo option alwaysUv: every makeCredential and every getAssertion with user presence
    /// needs user verification (PIN or built-in), else PUAT_REQUIRED (CTAP 2.1 §6.1.2, §6.2.2).
    public var alwaysUV = false
    /// A CTAP1/U2F-only key: INIT advertises no CBOR (and a clear NMSG bit, since it implements
    /// CTAPHID_MSG); CTAPHID_CBOR is refused and U2F register/authenticate/version are served.
    public var u2fOnly = false
    /// JSON state file (credentials, counter, PIN, retries); nil keeps state in memory only.
    public var stateFile: String?
    public var aaguid: UUID = VirtualAuthenticatorConfiguration.defaultAAGUID
    public var attestation: AttestationMode = .packed
    /// maxMsgSize advertised in getInfo and enforced on incoming CTAPHID messages.
    public var maxMessageSize = 1200
    /// Quiet unless the caller hands in a logger with a handler.
    public var logger = Logger(label: "ciauth.virtual-key", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A fixed AAGUID naming this test device.
    public static let defaultAAGUID = UUID(uuid: (0x63, 0x69, 0x61, 0x75, 0x74, 0x68, 0x2d, 0x76, 0x6b, 0x65, 0x79, 0x2d, 0x74, 0x65, 0x73, 0x74))

    public init() {}
}
