/// Why and for which key a PIN is asked.
public struct PINRequest: Sendable, Equatable {
    public let device: DeviceAddress
    /// PIN attempts left before the key blocks its PIN.
    public let retriesLeft: Int
    /// True when the previous PIN entered for this key was wrong.
    public let previousAttemptFailed: Bool

    public init(device: DeviceAddress, retriesLeft: Int, previousAttemptFailed: Bool) {
        self.device = device
        self.retriesLeft = retriesLeft
        self.previousAttemptFailed = previousAttemptFailed
    }

    /// The sentence to show before reading the PIN.
    public var prompt: String {
        let tries = "\(retriesLeft) \(retriesLeft == 1 ? "try" : "tries") left"
        let warning = retriesLeft == 1 ? "; a wrong PIN now blocks the key" : ""
        let lead = previousAttemptFailed ? "Wrong PIN. " : ""
        return "\(lead)Enter the PIN of the security key \(device) (\(tries)\(warning)): "
    }
}

/// Supplies a key's PIN when an operation needs one. Implementations read it from the terminal
/// (`TerminalPINProvider`), never from arguments; they must not log it.
public protocol PINProvider: Sendable {
    /// Returns the PIN, or nil when the user gave up (the operation then ends as cancelled).
    func pin(for request: PINRequest) async throws(FIDO2Error) -> String?
}

/// A PIN provider backed by a closure (for callers with their own UI, and tests).
public struct ClosurePINProvider: PINProvider {
    private let body: @Sendable (PINRequest) async -> String?

    public init(_ body: @escaping @Sendable (PINRequest) async -> String?) { self.body = body }

    public func pin(for request: PINRequest) async throws(FIDO2Error) -> String? { await body(request) }
}

/// Asks on the controlling terminal without echo.
public struct TerminalPINProvider: PINProvider {
    public init() {}

    public func pin(for request: PINRequest) async throws(FIDO2Error) -> String? {
        try TerminalPrompt.readSecret(prompt: request.prompt)
    }
}
