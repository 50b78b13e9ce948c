import FIDO2
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Checks of this machine: libfido2, hidraw permissions, connected keys.
public enum DoctorLocalChecks {
    /// libfido2 as loaded into this process (Linux: `/proc/self/maps`, version from the file name).
    /// It is loaded on first use, so the check loads it first and reports why it could not.
    public static func libfido2(maps: @autoclosure () -> String? = processMaps()) -> DoctorCheck {
        do {
            try FIDO2Library.require()
        } catch {
            return DoctorCheck(
                "libfido2", .fail, error.message,
                fix: "install libfido2 1.12 or later (Debian/Ubuntu: apt install \(FIDO2Library.debianPackage))")
        }
        guard let maps = maps(), let line = maps.split(separator: "\n").first(where: { $0.contains("libfido2.so") }),
            let path = line.split(separator: " ").last
        else {
            return DoctorCheck("libfido2", .fail, "libfido2 is not loaded", fix: "install libfido2 1.12 or later (Debian/Ubuntu: apt install libfido2-1)")
        }
        let file = URL(fileURLWithPath: String(path)).resolvingSymlinksInPath().lastPathComponent
        let version = file.components(separatedBy: ".so.").last ?? ""
        let parts = version.split(separator: ".").compactMap { Int($0) }
        guard parts.count >= 2 else { return DoctorCheck("libfido2", .warn, "libfido2 loaded from \(path), version unknown") }
        guard (parts[0], parts[1]) >= (1, 12) else {
            return DoctorCheck("libfido2", .warn, "libfido2 \(version) is older than 1.12", fix: "upgrade libfido2 to 1.12 or later")
        }
        return DoctorCheck("libfido2", .ok, "libfido2 \(version) (\(path))")
    }

    /// `/proc/self/maps`, read to the end (procfs files report size 0).
    public static func processMaps() -> String? {
        FileHandle(forReadingAtPath: "/proc/self/maps").map { String(decoding: $0.readDataToEndOfFile(), as: UTF8.self) }
    }

    /// FIDO hidraw nodes (found by FIDO2's `PermissionProbe`: the report descriptor declares
    /// usage page 0xF1D0) that exist but cannot be opened for reading and writing. The node is
    /// really opened (not `access(2)`), so the errno is the one libfido2 would meet.
    public static func hidraw(sysfsDirectory: String = "/sys/class/hidraw", deviceDirectory: String = "/dev") -> DoctorCheck {
        let fidoNodes = PermissionProbe(sysfsRoot: sysfsDirectory, deviceRoot: deviceDirectory).fidoNodes()
        var failures: [String] = []
        for node in fidoNodes {
            let descriptor = open(node, O_RDWR | O_NONBLOCK | O_CLOEXEC)
            if descriptor >= 0 {
                close(descriptor)
            } else {
                failures.append("\(node): \(String(cString: strerror(errno)))")
            }
        }
        guard failures.isEmpty else {
            return DoctorCheck(
                "hidraw", .fail, "security keys present but not openable: " + failures.joined(separator: "; "),
                fix: "install a udev rule giving your user read/write access (systemd >= 244: 60-fido-id.rules and a local seat; "
                    + "otherwise GROUP=\"plugdev\", MODE=\"0660\" and join the group), reload the rules and replug the key; "
                    + "over SSH or in a container the seat rule does not apply: use the group rule")
        }
        guard !fidoNodes.isEmpty else { return DoctorCheck("hidraw", .ok, "no FIDO hidraw node: no security key is plugged in over USB") }
        return DoctorCheck("hidraw", .ok, "\(fidoNodes.count) FIDO hidraw node(s), all openable")
    }

    /// At least one key answers GetInfo.
    public static func securityKeys(explicit: [DeviceAddress], logger: Logger) async -> DoctorCheck {
        let report: DevicesReport
        do {
            report = try await DevicesInventory.list(explicit: explicit, logger: logger)
        } catch {
            return DoctorCheck(
                "security-key", .fail, "libfido2 is not installed (\(FIDO2Library.soname))",
                fix: "install the package \(FIDO2Library.debianPackage) (apt-get install \(FIDO2Library.debianPackage))")
        }
        let usable = report.devices.filter { $0.error == nil }
        guard !usable.isEmpty else {
            // A key that was found or named but failed says why, as `ciauth devices` does.
            let errors = report.devices.compactMap(\.error)
            return DoctorCheck(
                "security-key", .fail, errors.isEmpty ? "no security key found" : "no usable security key: " + errors.joined(separator: "; "),
                fix: "plug in a key, or name one with --device (unix:PATH for a virtual key)")
        }
        return DoctorCheck("security-key", .ok, "\(usable.count) key(s): " + usable.map(\.address).joined(separator: ", "))
    }
}
