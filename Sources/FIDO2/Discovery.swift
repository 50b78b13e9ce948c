import CFIDO2
import Foundation

/// A key found by discovery (hidraw) or named explicitly.
public struct DiscoveredDevice: Sendable, Equatable {
    public let address: DeviceAddress
    public let manufacturer: String?
    public let product: String?
    public let vendorID: UInt16?
    public let productID: UInt16?
}

/// The keys ciauth can use, and the ones it could not open.
public struct DiscoveryResult: Sendable, Equatable {
    public let devices: [DiscoveredDevice]
    public let inaccessible: [InaccessibleDevice]
}

public enum DeviceDiscovery {
    static let maximumDevices = 16

    /// Lists keys: the explicit addresses when given (`--device`, `CIAUTH_DEVICE`), otherwise
    /// every FIDO hidraw node libfido2 finds. Keys the user may not open are always reported.
    /// Throws only `.libraryMissing`: without libfido2 no key can be used, named or not.
    public static func discover(explicit: [DeviceAddress] = []) async throws(FIDO2Error) -> DiscoveryResult {
        try FIDO2Library.require()
        let inaccessible = PermissionProbe().inaccessibleDevices()
        guard explicit.isEmpty else {
            let devices = explicit.map {
                DiscoveredDevice(address: $0, manufacturer: nil, product: nil, vendorID: nil, productID: nil)
            }
            return DiscoveryResult(devices: devices, inaccessible: inaccessible)
        }
        let worker = DeviceWorker(name: "ciauth-fido2-discovery")
        defer { worker.stop() }
        let found = (try? await worker.run { () throws(FIDO2Error) -> [DiscoveredDevice] in try manifest() }) ?? []
        return DiscoveryResult(devices: found, inaccessible: inaccessible)
    }

    /// `fido_dev_info_manifest` (always FIDO_OK; 0 devices on error), copied out entry by entry.
    private static func manifest() throws(FIDO2Error) -> [DiscoveredDevice] {
        guard let list = fido_dev_info_new(maximumDevices) else {
            throw FIDO2Error(.internalError, "libfido2 could not allocate a device list.", call: "fido_dev_info_new")
        }
        defer {
            var owned: OpaquePointer? = list
            fido_dev_info_free(&owned, maximumDevices)
        }
        var count = 0
        try FIDO2Error.check(fido_dev_info_manifest(list, maximumDevices, &count), "fido_dev_info_manifest")
        return (0..<count).compactMap { index in
            guard let entry = fido_dev_info_ptr(list, index), let path = fido_dev_info_path(entry),
                let address = address(manifestPath: String(cString: path))
            else { return nil }
            return DiscoveredDevice(
                address: address,
                manufacturer: nonEmpty(fido_dev_info_manufacturer_string(entry)),
                product: nonEmpty(fido_dev_info_product_string(entry)),
                vendorID: UInt16(bitPattern: fido_dev_info_vendor(entry)),
                productID: UInt16(bitPattern: fido_dev_info_product(entry)))
        }
    }

    /// The address of a path `fido_dev_info_manifest` listed, or nil for a transport ciauth's own
    /// report I/O cannot open: libfido2 built with NFC or PC/SC support also lists `nfc:` and
    /// `pcsc:` paths beside the hidraw nodes, and opening those as files only fails.
    static func address(manifestPath path: String) -> DeviceAddress? {
        path.hasPrefix("/dev/hidraw") ? DeviceAddress(hidrawPath: path) : nil
    }

    private static func nonEmpty(_ pointer: UnsafePointer<CChar>?) -> String? {
        guard let pointer else { return nil }
        let value = String(cString: pointer)
        return value.isEmpty ? nil : value
    }
}
