import FIDO2
import Foundation
import Logging

/// One security key as `ciauth devices` reports it.
public struct DeviceReport: Codable, Hashable, Sendable {
    /// `/dev/hidrawN` or `unix:PATH`.
    public var address: String
    public var manufacturer: String?
    public var product: String?
    /// USB vendor and product ids as 4 hex digits; nil for virtual keys.
    public var vendorID: String?
    public var productID: String?
    public var aaguid: String?
    /// CTAP versions (`FIDO_2_0`, `FIDO_2_1`, `U2F_V2`, …).
    public var versions: [String]
    public var algorithms: [String]
    public var extensions: [String]
    /// nil when the key has no PIN support.
    public var pinSet: Bool?
    public var pinRetries: Int?
    public var builtInUserVerification: Bool
    /// Why the key could not be asked (it exists but did not answer GetInfo).
    public var error: String?
}

/// A key that exists but the user cannot open, with the fix.
public struct InaccessibleDeviceReport: Codable, Hashable, Sendable {
    public var path: String
    public var fix: String
}

public struct DevicesReport: Codable, Hashable, Sendable {
    public var devices: [DeviceReport]
    public var inaccessible: [InaccessibleDeviceReport]

    /// No key answered and none is hidden by permissions.
    public var isEmpty: Bool { devices.allSatisfy { $0.error != nil } && inaccessible.isEmpty }
}

/// `ciauth devices`: every key from discovery (or the explicit addresses), opened once for GetInfo.
public enum DevicesInventory {
    public static func list(explicit: [DeviceAddress], logger: Logger) async throws(FIDO2Error) -> DevicesReport {
        let discovery = try await DeviceDiscovery.discover(explicit: explicit)
        var devices: [DeviceReport] = []
        for found in discovery.devices {
            devices.append(await report(found, logger: logger))
        }
        let inaccessible = discovery.inaccessible.map { InaccessibleDeviceReport(path: $0.path, fix: $0.message) }
        return DevicesReport(devices: devices, inaccessible: inaccessible)
    }

    static func report(_ found: DiscoveredDevice, logger: Logger) async -> DeviceReport {
        var report = DeviceReport(
            address: found.address.description, manufacturer: found.manufacturer, product: found.product,
            vendorID: found.vendorID.map(hex), productID: found.productID.map(hex), versions: [], algorithms: [],
            extensions: [], builtInUserVerification: false)
        do {
            let device = try await FIDO2Device.open(found.address, logger: logger)
            let info = device.info
            await device.close()
            report.manufacturer = report.manufacturer ?? info.manufacturer
            report.product = report.product ?? info.product
            report.aaguid = info.aaguidString
            report.versions = info.versions
            report.extensions = info.extensions
            report.algorithms = info.algorithms.map(algorithmName)
            report.pinSet = info.supportsPIN ? info.isPINSet : nil
            report.pinRetries = info.pinRetries
            report.builtInUserVerification = info.hasBuiltInUserVerification
        } catch {
            report.error = error.description
        }
        return report
    }

    static func algorithmName(_ identifier: Int32) -> String {
        Algorithm(rawValue: identifier)?.description ?? "COSE \(identifier)"
    }

    static func hex(_ value: UInt16) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
