#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A FIDO key that is plugged in but that the current user cannot open.
public struct InaccessibleDevice: Sendable, Equatable {
    public let path: String
    /// What is wrong and how to fix it.
    public let message: String
}

/// Finds FIDO hidraw nodes the user cannot open. libfido2 silently skips them (it needs to open
/// a node to read its report descriptor), so without this "permission denied" looks like
/// "no key plugged in". The report descriptor and uevent in sysfs are world-readable; a FIDO
/// key's descriptor declares usage page 0xF1D0, and like libfido2 only USB devices count.
public struct PermissionProbe: Sendable {
    var sysfsRoot = "/sys/class/hidraw"
    var deviceRoot = "/dev"
    /// Whether the current user may open a node for reading and writing.
    var isAccessible: @Sendable (String) -> Bool = { access($0, R_OK | W_OK) == 0 }

    /// A probe of `sysfsRoot` (hidraw class directory) and the device nodes in `deviceRoot`.
    public init(sysfsRoot: String = "/sys/class/hidraw", deviceRoot: String = "/dev") {
        self.sysfsRoot = sysfsRoot
        self.deviceRoot = deviceRoot
    }

    init(sysfsRoot: String, deviceRoot: String, isAccessible: @escaping @Sendable (String) -> Bool) {
        self.init(sysfsRoot: sysfsRoot, deviceRoot: deviceRoot)
        self.isAccessible = isAccessible
    }

    /// Device nodes (`/dev/hidrawN`) that exist and whose report descriptor declares the FIDO
    /// usage page, sorted by name. Whether they can be opened is left to the caller.
    public func fidoNodes() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: sysfsRoot)) ?? []
        return names.filter { $0.hasPrefix("hidraw") }.sorted().compactMap { name in
            let descriptorPath = "\(sysfsRoot)/\(name)/device/report_descriptor"
            guard let descriptor = FileManager.default.contents(atPath: descriptorPath),
                HIDReportDescriptor.declaresFIDOUsagePage(Array(descriptor)),
                Self.bus(ueventPath: "\(sysfsRoot)/\(name)/device/uevent") == Self.busUSB
            else { return nil }
            let node = "\(deviceRoot)/\(name)"
            return FileManager.default.fileExists(atPath: node) ? node : nil
        }
    }

    static let busUSB: UInt32 = 0x0003

    /// The bus of a HID device, from `HID_ID=BBBB:VVVVVVVV:PPPPPPPP` in its uevent. libfido2 on
    /// Linux (built without FIDO_HID_ANY) lists only USB devices, whatever their descriptor says.
    static func bus(ueventPath: String) -> UInt32? {
        guard let data = FileManager.default.contents(atPath: ueventPath) else { return nil }
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where line.hasPrefix("HID_ID=") {
            guard let field = line.dropFirst("HID_ID=".count).split(separator: ":").first else { return nil }
            return UInt32(field, radix: 16)
        }
        return nil
    }

    func inaccessibleDevices() -> [InaccessibleDevice] {
        fidoNodes().filter { !isAccessible($0) }.map { InaccessibleDevice(path: $0, message: PermissionAdvice.message(for: $0)) }
    }
}

enum HIDReportDescriptor {
    static let fidoUsagePage: UInt32 = 0xF1D0

    /// Walks the short items of a HID report descriptor (HID 1.11 §6.2.2.2) looking for a global
    /// Usage Page item with the FIDO value. Long items are skipped; truncation ends the walk.
    static func declaresFIDOUsagePage(_ bytes: [UInt8]) -> Bool {
        var index = 0
        while index < bytes.count {
            let prefix = bytes[index]
            if prefix == 0xfe {  // long item: size in the next byte
                guard index + 1 < bytes.count else { return false }
                index += 3 + Int(bytes[index + 1])
                continue
            }
            let size = [0, 1, 2, 4][Int(prefix & 0x03)]
            guard index + size < bytes.count else { return false }
            if prefix & 0xfc == 0x04 {  // tag 0 (Usage Page), type 1 (global)
                var value: UInt32 = 0
                for offset in (0..<size).reversed() { value = value << 8 | UInt32(bytes[index + 1 + offset]) }
                if value == fidoUsagePage { return true }
            }
            index += 1 + size
        }
        return false
    }
}

enum PermissionAdvice {
    /// Explains how to get read/write access to a hidraw node.
    static func message(for path: String) -> String {
        """
        Permission denied opening the security key \(path). Your user needs read and write access to it:
          - install a udev rule for FIDO keys (systemd >= 244 ships 60-fido-id.rules, which tags keys for the \
        logged-in seat user; or add e.g. KERNEL=="hidraw*", SUBSYSTEM=="hidraw", ATTRS{idVendor}=="1050", \
        GROUP="plugdev", MODE="0660" to /etc/udev/rules.d/70-fido.rules), then run \
        `sudo udevadm control --reload-rules && sudo udevadm trigger` and replug the key;
          - with a group rule, add yourself to the group (`sudo usermod -aG plugdev $USER`) and log in again;
          - over SSH or in a container the seat ACL (uaccess) does not apply: use the group rule.
        Check with: ls -l \(path); getfacl \(path)
        """
    }
}
