import Foundation
import Testing

@testable import FIDO2

@Suite struct PermissionProbeTests {
    /// Report descriptor of a FIDO key: Usage Page (0xF1D0), Usage (1), Collection, … (CTAPHID §11.2.8.1).
    static let fidoDescriptor: [UInt8] = [
        0x06, 0xd0, 0xf1, 0x09, 0x01, 0xa1, 0x01, 0x09, 0x20, 0x15, 0x00, 0x26, 0xff, 0x00, 0x75, 0x08,
        0x95, 0x40, 0x81, 0x02, 0x09, 0x21, 0x15, 0x00, 0x26, 0xff, 0x00, 0x75, 0x08, 0x95, 0x40, 0x91, 0x02, 0xc0,
    ]
    /// A keyboard: Usage Page (Generic Desktop), Usage (Keyboard), …
    static let keyboardDescriptor: [UInt8] = [0x05, 0x01, 0x09, 0x06, 0xa1, 0x01, 0x05, 0x07, 0xc0]

    /// Builds sysfs/dev trees: hidraw0 = FIDO (USB), hidraw1 = keyboard (USB), hidraw2 = FIDO
    /// (USB), hidraw3 = FIDO usage page on Bluetooth (bus 0005), which libfido2 never lists.
    static func makeTree(in directory: TemporaryDirectory) throws -> (sysfs: String, dev: String) {
        let sysfs = directory.file("sys"), dev = directory.file("dev")
        try FileManager.default.createDirectory(atPath: dev, withIntermediateDirectories: true)
        let devices = [
            ("hidraw0", fidoDescriptor, "0003"), ("hidraw1", keyboardDescriptor, "0003"), ("hidraw2", fidoDescriptor, "0003"),
            ("hidraw3", fidoDescriptor, "0005"),
        ]
        for (name, descriptor, bus) in devices {
            let deviceDirectory = "\(sysfs)/\(name)/device"
            try FileManager.default.createDirectory(atPath: deviceDirectory, withIntermediateDirectories: true)
            try Data(descriptor).write(to: URL(fileURLWithPath: "\(deviceDirectory)/report_descriptor"))
            try Data(Self.uevent(bus: bus).utf8).write(to: URL(fileURLWithPath: "\(deviceDirectory)/uevent"))
            try Data().write(to: URL(fileURLWithPath: "\(dev)/\(name)"))
        }
        return (sysfs, dev)
    }

    /// The hid device's uevent as the kernel writes it (drivers/hid/hid-core.c, hid_uevent).
    static func uevent(bus: String) -> String {
        "DRIVER=hid-generic\nHID_ID=\(bus):00001050:00000407\nHID_NAME=Yubico YubiKey OTP+FIDO+CCID\nHID_PHYS=usb-0000:00:14.0-1/input1\nHID_UNIQ=\nMODALIAS=hid:b\(bus)g0001v00001050p00000407\n"
    }

    /// libfido2 (hid_linux.c, without FIDO_HID_ANY) lists only USB HID devices: a FIDO usage page
    /// on another bus, or a node whose bus cannot be read, is not a key it would open.
    @Test func onlyUSBDevicesAreKeys() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (sysfs, dev) = try Self.makeTree(in: directory)
        #expect(!PermissionProbe(sysfsRoot: sysfs, deviceRoot: dev).fidoNodes().contains("\(dev)/hidraw3"))
        let probe = PermissionProbe(sysfsRoot: sysfs, deviceRoot: dev, isAccessible: { _ in false })
        #expect(probe.inaccessibleDevices().map(\.path) == ["\(dev)/hidraw0", "\(dev)/hidraw2"])
        try FileManager.default.removeItem(atPath: "\(sysfs)/hidraw2/device/uevent")
        #expect(PermissionProbe(sysfsRoot: sysfs, deviceRoot: dev).fidoNodes() == ["\(dev)/hidraw0"])
    }

    @Test func reportsFIDONodesTheUserCannotOpen() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (sysfs, dev) = try Self.makeTree(in: directory)
        let unreadable = "\(dev)/hidraw2"
        let probe = PermissionProbe(sysfsRoot: sysfs, deviceRoot: dev, isAccessible: { $0 != unreadable && $0 != "\(dev)/hidraw1" })
        let found = probe.inaccessibleDevices()
        #expect(found.map(\.path) == [unreadable])  // hidraw1 is not a FIDO device, hidraw0 is readable
        #expect(found.first?.message.contains("udev") == true)
        #expect(found.first?.message.contains("plugdev") == true)
        #expect(found.first?.message.contains("SSH") == true)
    }

    /// The public listing: FIDO nodes whose device node exists, whatever their permissions.
    @Test func listsExistingFIDONodes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (sysfs, dev) = try Self.makeTree(in: directory)
        #expect(PermissionProbe(sysfsRoot: sysfs, deviceRoot: dev).fidoNodes() == ["\(dev)/hidraw0", "\(dev)/hidraw2"])
        try FileManager.default.removeItem(atPath: "\(dev)/hidraw2")  // unplugged: sysfs lags, the node is gone
        #expect(PermissionProbe(sysfsRoot: sysfs, deviceRoot: dev).fidoNodes() == ["\(dev)/hidraw0"])
    }

    /// The real `access(2)` check; root may open anything, so this only runs unprivileged.
    @Test(.enabled(if: getuid() != 0, "root bypasses file permissions"))
    func realAccessCheckSeesModeZero() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (sysfs, dev) = try Self.makeTree(in: directory)
        #expect(chmod("\(dev)/hidraw0", 0) == 0)
        let found = PermissionProbe(sysfsRoot: sysfs, deviceRoot: dev).inaccessibleDevices()
        #expect(found.map(\.path) == ["\(dev)/hidraw0"])
    }

    @Test func openingAnUnreadableNodeNamesTheFix() throws {
        let error = ReportChannel.openError(errno: EACCES, address: DeviceAddress(hidrawPath: "/dev/hidraw7"))
        #expect(error.kind == .permissionDenied)
        #expect(error.message.contains("/dev/hidraw7"))
        #expect(error.message.contains("udev"))
    }

    @Test func missingTreeFindsNothing() {
        #expect(PermissionProbe(sysfsRoot: "/nonexistent-\(UInt64.random(in: 0...UInt64.max))").inaccessibleDevices().isEmpty)
    }

    @Test func descriptorParser() {
        #expect(HIDReportDescriptor.declaresFIDOUsagePage(Self.fidoDescriptor))
        #expect(!HIDReportDescriptor.declaresFIDOUsagePage(Self.keyboardDescriptor))
        #expect(!HIDReportDescriptor.declaresFIDOUsagePage([0x06, 0xd0]))  // truncated
        #expect(!HIDReportDescriptor.declaresFIDOUsagePage([]))
        // 4-byte usage page item, and a long item before it.
        #expect(HIDReportDescriptor.declaresFIDOUsagePage([0xfe, 0x01, 0x00, 0xaa, 0x07, 0xd0, 0xf1, 0x00, 0x00]))
    }
}
