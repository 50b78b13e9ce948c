import CFIDO2
import Foundation
import Logging

/// An open security key. Every libfido2 call for it runs on the key's own thread; the async
/// methods queue work there. Close it with `close()` (or let it go: `deinit` closes it).
public final class FIDO2Device: @unchecked Sendable {
    public let address: DeviceAddress
    /// What the key reported when it was opened (plus USB strings when discovery found it).
    public private(set) var info: DeviceInfo

    let worker: DeviceWorker
    let handle: DeviceHandle
    let channel: ReportChannel
    let logger: Logger
    private let stateLock = NSLock()
    private var broken = false
    /// How late a reply must be before a key that sends no keepalive is assumed to wait for a
    /// touch (`TouchAnnouncer.fallbackDelay`); tests lengthen it to tell the two signals apart.
    var touchFallbackDelay: Duration {
        get { stateLock.withLock { fallbackDelay } }
        set { stateLock.withLock { fallbackDelay = newValue } }
    }
    private var fallbackDelay = TouchAnnouncer.fallbackDelay

    private init(address: DeviceAddress, info: DeviceInfo, worker: DeviceWorker, handle: DeviceHandle,
                 channel: ReportChannel, logger: Logger) {
        self.address = address
        self.info = info
        self.worker = worker
        self.handle = handle
        self.channel = channel
        self.logger = logger
    }

    deinit { worker.stop() }

    /// Opens a key: connects, runs CTAPHID INIT and GetInfo, reads the PIN retry counter.
    public static func open(
        _ address: DeviceAddress, logger: Logger = Logger(label: "ciauth.fido2", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws(FIDO2Error) -> FIDO2Device {
        let worker = DeviceWorker(name: "ciauth-fido2 \(address)")
        do {
            let (handle, channel, info) = try await worker.run { () throws(FIDO2Error) in try connect(address) }
            logger.debug("opened security key", metadata: ["device": "\(address)", "aaguid": "\(info.aaguidString)"])
            return FIDO2Device(
                address: address, info: info, worker: worker, handle: handle, channel: channel, logger: logger)
        } catch {
            worker.stop()
            throw error
        }
    }

    /// Opens a key found by discovery, keeping its USB strings and ids in `info`.
    public static func open(
        _ discovered: DiscoveredDevice, logger: Logger = Logger(label: "ciauth.fido2", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws(FIDO2Error) -> FIDO2Device {
        let device = try await open(discovered.address, logger: logger)
        device.info.manufacturer = discovered.manufacturer
        device.info.product = discovered.product
        device.info.vendorID = discovered.vendorID
        device.info.productID = discovered.productID
        return device
    }

    /// Opens every key at once; keys that fail to open are returned with their error.
    public static func openAll(
        _ discovered: [DiscoveredDevice], logger: Logger = Logger(label: "ciauth.fido2", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async -> (devices: [FIDO2Device], failures: [FIDO2Error]) {
        await withTaskGroup(of: (Int, Result<FIDO2Device, FIDO2Error>).self) { group in
            for (index, entry) in discovered.enumerated() {
                group.addTask {
                    do throws(FIDO2Error) { return (index, .success(try await open(entry, logger: logger))) } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var results: [(Int, Result<FIDO2Device, FIDO2Error>)] = []
            for await result in group { results.append(result) }
            results.sort { $0.0 < $1.0 }
            var devices: [FIDO2Device] = []
            var failures: [FIDO2Error] = []
            for (_, result) in results {
                switch result {
                case .success(let device): devices.append(device)
                case .failure(let error): failures.append(error)
                }
            }
            return (devices, failures)
        }
    }

    /// Closes the connection; later calls fail.
    public func close() async {
        let handle = self.handle
        _ = try? await worker.run { () throws(FIDO2Error) in handle.close() }
        markBroken()
    }

    /// Re-reads GetInfo and the PIN retry counter.
    public func currentInfo() async throws(FIDO2Error) -> DeviceInfo {
        try checkUsable()
        let (handle, address) = (self.handle, self.address)
        return try await worker.run { () throws(FIDO2Error) in try Self.readInfo(handle, address: address) }
    }

    /// PIN attempts left (0 = blocked).
    func pinRetries() async throws(FIDO2Error) -> Int {
        let (handle, context) = (self.handle, self.context)
        return try await worker.run { () throws(FIDO2Error) -> Int in
            try handle.withDevice { device throws(FIDO2Error) -> Int in
                var retries: Int32 = 0
                try FIDO2Error.check(fido_dev_get_retry_count(device, &retries), "fido_dev_get_retry_count", context: context)
                return Int(retries)
            }
        }
    }

    var context: ErrorContext { ErrorContext(device: address.description) }

    func checkUsable() throws(FIDO2Error) {
        guard !stateLock.withLock({ broken }) else {
            throw FIDO2Error(
                .deviceIO, "The connection to the security key \(address) is no longer usable; open it again.",
                device: address.description)
        }
    }

    func markBroken() { stateLock.withLock { broken = true } }

    private static func connect(_ address: DeviceAddress) throws(FIDO2Error) -> (DeviceHandle, ReportChannel, DeviceInfo) {
        let channel = try ReportChannel.open(address)
        let token = ChannelRegistry.shared.park(channel)
        let handle: DeviceHandle
        do {
            handle = try DeviceHandle()
            try handle.open(token: token, context: ErrorContext(device: address.description))
        } catch {
            _ = ChannelRegistry.shared.claim(token)
            channel.close()
            throw error
        }
        let info = try readInfo(handle, address: address)
        if !info.isFIDO2, channel.answeredChannelBusy {
            // libfido2 took the busy answer to getInfo for a U2F-only key.
            channel.close()
            throw FIDO2Error(
                .deviceBusy,
                "The security key \(address) is busy with another request (another program may be waiting for a touch on it); finish or cancel that, then retry.",
                call: "fido_dev_open", device: address.description)
        }
        return (handle, channel, info)
    }

    private static func readInfo(_ handle: DeviceHandle, address: DeviceAddress) throws(FIDO2Error) -> DeviceInfo {
        let context = ErrorContext(device: address.description)
        return try handle.withDevice { device throws(FIDO2Error) -> DeviceInfo in
            let isFIDO2 = fido_dev_is_fido2(device)
            let cbor = try CBORInfoObject()
            if isFIDO2 { try cbor.load(from: device, context: context) }
            var retries: Int32 = 0
            let pinSet = fido_dev_has_pin(device)
            if pinSet {
                try FIDO2Error.check(fido_dev_get_retry_count(device, &retries), "fido_dev_get_retry_count", context: context)
            }
            return DeviceInfo(
                address: address, isFIDO2: isFIDO2, aaguid: isFIDO2 ? cbor.aaguid : [],
                versions: isFIDO2 ? cbor.versions : ["U2F_V2"], extensions: isFIDO2 ? cbor.extensions : [],
                options: isFIDO2 ? cbor.options : [:], algorithms: isFIDO2 ? cbor.algorithms : [],
                pinRetries: pinSet ? Int(retries) : nil)
        }
    }
}
