import Foundation

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

/// Asks on the controlling terminal without echo. The read blocks, so it runs on a thread of its
/// own rather than on one of Swift concurrency's few shared threads.
public struct TerminalPINProvider: PINProvider {
    private let terminalPath: String

    public init(terminalPath: String = "/dev/tty") { self.terminalPath = terminalPath }

    public func pin(for request: PINRequest) async throws(FIDO2Error) -> String? {
        let path = terminalPath
        let result: Result<String?, FIDO2Error> = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                do throws(FIDO2Error) {
                    continuation.resume(returning: .success(try TerminalPrompt.readSecret(prompt: request.prompt, terminalPath: path)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }
}
