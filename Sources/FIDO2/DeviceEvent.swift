import Foundation

/// What a key is waiting for the user to do.
public enum TouchPurpose: String, Sendable {
    case makeCredential = "create a credential"
    case getAssertion = "sign"
    case selectKey = "select this key"
}

/// Progress reported while talking to keys; the CLI turns these into prompts on stderr.
public enum DeviceEvent: Sendable, Equatable {
    /// The key is waiting for a touch (reported once per operation and key).
    case waitingForTouch(device: DeviceAddress, purpose: TouchPurpose)
    /// Among several keys, this one was touched; the others were cancelled.
    case selected(device: DeviceAddress)
}

public typealias DeviceEventHandler = @Sendable (DeviceEvent) -> Void

/// Reports `waitingForTouch` at most once, from whichever signal comes first.
///
/// The signal is the key's KEEPALIVE with status UPNEEDED (CTAPHID), seen in ciauth's own report
/// I/O. A key that never sends one is assumed to be waiting once its reply is `fallbackDelay` late.
final class TouchAnnouncer: @unchecked Sendable {
    static let fallbackDelay: Duration = .seconds(1)

    private let lock = NSLock()
    private var announced = false
    private let device: DeviceAddress
    private let purpose: TouchPurpose
    private let handler: DeviceEventHandler?

    init(device: DeviceAddress, purpose: TouchPurpose, handler: DeviceEventHandler?) {
        self.device = device
        self.purpose = purpose
        self.handler = handler
    }

    var hasAnnounced: Bool { lock.withLock { announced } }

    func announce() {
        let first = lock.withLock { () -> Bool in
            defer { announced = true }
            return !announced
        }
        if first { handler?(.waitingForTouch(device: device, purpose: purpose)) }
    }
}
