import Testing

@testable import FIDO2

@Suite struct DeviceAddressTests {
    @Test func parsesHidrawAndUnixAddresses() throws {
        #expect(try DeviceAddress(parsing: "/dev/hidraw3").transport == .hidraw(path: "/dev/hidraw3"))
        #expect(try DeviceAddress(parsing: " unix:/tmp/k.sock ").transport == .unixSocket(path: "/tmp/k.sock"))
        #expect(try DeviceAddress(parsing: "unix:relative.sock").description == "unix:relative.sock")
        #expect(DeviceAddress(hidrawPath: "/dev/hidraw0").description == "/dev/hidraw0")
    }

    @Test func parsesCommaSeparatedLists() throws {
        let list = try DeviceAddress.parseList("unix:/a.sock,/dev/hidraw1, unix:/b.sock")
        #expect(list.map(\.description) == ["unix:/a.sock", "/dev/hidraw1", "unix:/b.sock"])
    }

    @Test(arguments: [
        "", "hidraw0", "/dev/hidraw", "/dev/hidrawX", "/dev/hidraw1/../sda", "/dev/sda", "unix:",
        "tcp:127.0.0.1:1", "nfc://sys/devices/x", "unix:/" + String(repeating: "a", count: 120), "unix:/a\u{0}b",
    ])
    func rejectsInvalidAddresses(_ text: String) {
        #expect(throws: FIDO2Error.self) { try DeviceAddress(parsing: text) }
    }

    @Test(arguments: ["unix:/a,", ",unix:/a", "unix:/a,,unix:/b", "unix:/a,unix:/a"])
    func rejectsBadLists(_ text: String) {
        #expect(throws: FIDO2Error.self) { try DeviceAddress.parseList(text) }
    }

    @Test func errorsAreInvalidAddress() {
        do {
            _ = try DeviceAddress(parsing: "COM3")
            Issue.record("accepted COM3")
        } catch {
            #expect(error.kind == .invalidAddress)
            #expect(error.message.contains("/dev/hidraw0"))
        }
    }

    /// libfido2 built with NFC or PC/SC support lists `nfc:` and `pcsc:` paths too; they are not
    /// hidraw nodes and must not be opened as such.
    @Test func discoveryKeepsOnlyHidrawPaths() {
        #expect(DeviceDiscovery.address(manifestPath: "/dev/hidraw3") == DeviceAddress(hidrawPath: "/dev/hidraw3"))
        #expect(DeviceDiscovery.address(manifestPath: "nfc:/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/nfc/nfc0") == nil)
        #expect(DeviceDiscovery.address(manifestPath: "pcsc://slot0") == nil)
    }
}
