import CFIDO2
import Foundation

/// libfido2's custom I/O hooks (`fido_dev_io_t`), backed by `ReportChannel`.
///
/// The hooks are plain C function pointers and cannot capture state, so the channel is opened in
/// Swift first and parked in `ChannelRegistry` under a one-time token; the token is the "path"
/// given to `fido_dev_open`, and the `open` hook exchanges it for the channel. libfido2 then owns
/// one retain of the channel until its `close` hook runs.
enum IOHooks {
    static var functions: fido_dev_io_t {
        fido_dev_io_t(open: ioOpen, close: ioClose, read: ioRead, write: ioWrite)
    }
}

private func channel(_ handle: UnsafeMutableRawPointer) -> ReportChannel {
    Unmanaged<ReportChannel>.fromOpaque(handle).takeUnretainedValue()
}

private let ioOpen: @convention(c) (UnsafePointer<CChar>?) -> UnsafeMutableRawPointer? = { path in
    guard let path, let channel = ChannelRegistry.shared.claim(String(cString: path)) else { return nil }
    return Unmanaged.passRetained(channel).toOpaque()
}

private let ioClose: @convention(c) (UnsafeMutableRawPointer?) -> Void = { handle in
    guard let handle else { return }
    Unmanaged<ReportChannel>.fromOpaque(handle).takeRetainedValue().close()
}

private let ioRead: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt8>?, Int, Int32) -> Int32 = {
    handle, buffer, count, milliseconds in
    guard let handle, let buffer else { return -1 }
    return channel(handle).readReport(into: buffer, count: count, milliseconds: milliseconds)
}

private let ioWrite: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<UInt8>?, Int) -> Int32 = {
    handle, bytes, count in
    guard let handle, let bytes else { return -1 }
    return channel(handle).writeReport(bytes, count: count)
}

/// Channels opened in Swift, waiting for libfido2's `open` hook to claim them.
final class ChannelRegistry: @unchecked Sendable {
    static let shared = ChannelRegistry()
    private let lock = NSLock()
    private var parked: [String: ReportChannel] = [:]
    private var counter: UInt64 = 0

    /// Parks `channel` and returns the token to pass to `fido_dev_open`.
    func park(_ channel: ReportChannel) -> String {
        lock.withLock {
            counter += 1
            let token = "ciauth-channel:\(counter)"
            parked[token] = channel
            return token
        }
    }

    func claim(_ token: String) -> ReportChannel? {
        lock.withLock { parked.removeValue(forKey: token) }
    }
}
