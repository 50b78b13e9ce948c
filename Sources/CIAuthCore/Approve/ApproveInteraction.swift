import FIDO2

/// How a workflow talks to the person: notes on stderr, the touch prompt, the PIN, and a
/// yes/no confirmation. The command layer supplies terminal-backed closures; tests supply their own.
public struct ApproveInteraction: Sendable {
    /// A line for the human (stderr); never data.
    public var note: @Sendable (String) -> Void
    /// Device progress: "Touch your security key…" once the key is really waiting.
    public var deviceEvents: DeviceEventHandler
    /// Supplies a key's PIN when the operation needs one (never from arguments or the environment).
    public var pin: PINProvider
    /// Asks a yes/no question; nil when no one can answer (no terminal).
    public var confirm: (@Sendable (String) async -> Bool?)

    public init(
        note: @escaping @Sendable (String) -> Void, deviceEvents: @escaping DeviceEventHandler, pin: PINProvider,
        confirm: @escaping @Sendable (String) async -> Bool?
    ) {
        self.note = note
        self.deviceEvents = deviceEvents
        self.pin = pin
        self.confirm = confirm
    }

    /// The touch prompt for a device event.
    public static func prompt(for event: DeviceEvent) -> String? {
        switch event {
        case .waitingForTouch(let device, let purpose):
            switch purpose {
            case .getAssertion: "Touch your security key (\(device)) to sign the approval…"
            case .makeCredential: "Touch your security key (\(device)) to create the credential…"
            case .selectKey: "Touch the security key you want to use (\(device))…"
            }
        case .selected: nil
        }
    }
}
