import FIDO2
import Logging

/// The security keys one command talks to: the explicit addresses, else every key libfido2
/// finds. Opened together so one request can go to all of them (DESIGN "Touches and prompts").
public struct ApproveSecurityKeys: Sendable {
    public let addresses: [DeviceAddress]
    public let logger: Logger

    public init(addresses: [DeviceAddress], logger: Logger) {
        self.addresses = addresses
        self.logger = logger
    }

    /// Opens the keys, runs `body` with them, and always closes them.
    public func withDevices<T: Sendable>(_ body: ([FIDO2Device]) async throws -> T) async throws -> T {
        let devices = try await open()
        do {
            let result = try await body(devices)
            for device in devices { await device.close() }
            return result
        } catch {
            for device in devices { await device.close() }
            throw error
        }
    }

    private func open() async throws -> [FIDO2Device] {
        let discovery = try await DeviceDiscovery.discover(explicit: addresses)
        var devices: [FIDO2Device] = []
        var failures: [FIDO2Error] = []
        for candidate in discovery.devices {
            do {
                devices.append(try await FIDO2Device.open(candidate.address, logger: logger))
            } catch {
                failures.append(error)
            }
        }
        guard !devices.isEmpty else {
            if let failure = failures.first { throw failure }
            let hint = discovery.inaccessible.isEmpty
                ? "Plug in your security key, or name it with --device or CIAUTH_DEVICE (unix:PATH for a virtual key)."
                : "\(discovery.inaccessible.count) key(s) cannot be opened by this user: check the udev rules (see `ciauth devices`)."
            throw FIDO2Error(.deviceNotFound, "No security key found. \(hint)")
        }
        return devices
    }
}
