import CIAuthCore
import Foundation
import Testing

/// `ciauth doctor` through the real binary: local checks with an injected device directory, and
/// GitLab checks against the simulator.
@Suite struct DoctorTests {
    /// A fake sysfs and /dev. hidraw0 and hidraw1 declare the FIDO usage page; hidraw2 is a mouse.
    /// The /dev node of hidraw0 is a directory: opening it read/write fails (EISDIR) even for
    /// root, which permission bits would not do in CI, where tests run as root.
    static func fakeDevices(in home: URL) throws -> (sysfs: String, dev: String) {
        let sysfs = home.appendingPathComponent("sys"), dev = home.appendingPathComponent("dev")
        let descriptors: [String: [UInt8]] = [
            "hidraw0": [0x06, 0xD0, 0xF1, 0x09, 0x01, 0xA1, 0x01], "hidraw1": [0x06, 0xD0, 0xF1, 0x09, 0x01],
            "hidraw2": [0x05, 0x01, 0x09, 0x02, 0xA1, 0x01],
        ]
        for (name, bytes) in descriptors {
            let directory = sysfs.appendingPathComponent("\(name)/device")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(bytes).write(to: directory.appendingPathComponent("report_descriptor"))
            try Data("HID_ID=0003:00001050:00000407\n".utf8).write(to: directory.appendingPathComponent("uevent"))
        }
        try FileManager.default.createDirectory(at: dev.appendingPathComponent("hidraw0"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: dev.appendingPathComponent("hidraw2"), withIntermediateDirectories: true)
        try Data().write(to: dev.appendingPathComponent("hidraw1"))
        return (sysfs.path, dev.path)
    }

    static func seed(role: String, restrict: Bool? = nil) -> [String: Any] {
        var project: [String: Any] = ["id": 100, "path_with_namespace": "acme/deployer", "ci_pipeline_variables_minimum_override_role": role]
        if let restrict { project["restrict_user_defined_variables"] = restrict }
        return [
            "users": [
                ["id": 1, "username": "root", "name": "Root", "admin": true, "tokens": ["root-token"]],
                ["id": 2, "username": "alice", "name": "Alice", "tokens": ["alice-token"]],
                ["id": 3, "username": "bob", "name": "Bob", "tokens": ["bob-token"]],
            ],
            "groups": [["id": 10, "path": "acme", "members": [["user_id": 2, "access_level": 40], ["user_id": 3, "access_level": 30]]]],
            "projects": [project],
        ]
    }

    func checks(_ result: BuiltBinary.Result) throws -> [String: DoctorCheck] {
        try JSONShape.check(result.stdout, .doctor)
        return Dictionary(uniqueKeysWithValues: try keysDecode([DoctorCheck].self, result.stdout, member: "checks").map { ($0.name, $0) })
    }

    @Test func reportsEachCheckWithItsFix() async throws {
        let simulation = try await KeysSimulation.start(Self.seed(role: "developer"))
        defer { Task { await simulation.stop() } }
        let key = try DevicesVirtualKey()
        defer { key.stop() }
        let (sysfs, dev) = try Self.fakeDevices(in: simulation.home)
        let base = ["doctor", "--json", "--sysfs-directory", sysfs, "--device-directory", dev, "--device", key.address]

        let alice = try await simulation.ciauth(base + ["--project", "acme/deployer"], token: "alice-token")
        #expect(alice.status == 1)  // the unopenable hidraw0 fails
        let found = try checks(alice)
        #expect(found["libfido2"]?.status == .ok && found["libfido2"]?.message.contains("1.") == true)
        #expect(found["hidraw"]?.status == .fail)
        #expect(found["hidraw"]?.message.contains("\(dev)/hidraw0") == true && found["hidraw"]?.message.contains("hidraw2") == false)
        #expect(found["hidraw"]?.fix?.contains("udev") == true && found["hidraw"]?.fix?.contains("SSH") == true)
        #expect(found["security-key"]?.status == .ok)
        #expect(found["gitlab"]?.status == .ok && found["gitlab"]?.message.contains("alice") == true)
        #expect(found["pipeline-variables"]?.status == .ok)

        // Without the broken node, and with a healthy setup, doctor passes.
        try FileManager.default.removeItem(atPath: dev + "/hidraw0")
        let healthy = try await simulation.ciauth(base + ["--project", "acme/deployer"], token: "alice-token")
        #expect(healthy.status == 0, "\(healthy.stdout)")

        // Bob (Developer) cannot read the setting: a warning, not a failure.
        let bob = try checks(try await simulation.ciauth(base + ["--project", "acme/deployer"], token: "bob-token"))
        #expect(bob["pipeline-variables"]?.status == .warn)

        let badToken = try await simulation.ciauth(base, token: "nope")
        #expect(badToken.status == 1)
        #expect(try checks(badToken)["gitlab"]?.status == .fail)

        let noKey = try checks(try await simulation.ciauth(["doctor", "--json", "--sysfs-directory", sysfs, "--device-directory", dev, "--device", "unix:/nonexistent/k.sock"]))
        #expect(noKey["security-key"]?.status == .fail)
    }

    @Test func roleBelowTheSettingFails() async throws {
        let simulation = try await KeysSimulation.start(Self.seed(role: "owner"))
        defer { Task { await simulation.stop() } }
        let result = try await simulation.ciauth(["doctor", "--project", "acme/deployer", "--device", "unix:/nonexistent/k.sock"], token: "alice-token")
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAIL  pipeline-variables: alice is Maintainer in acme/deployer; pipeline variables need Owner"))
        #expect(result.stdout.contains("      fix: lower the project's minimum role"))
    }

    @Test func unrestrictedVariablesPassWhateverTheRoleSays() async throws {
        // GitLab applies the minimum role only while restrict_user_defined_variables is on.
        let open = try await KeysSimulation.start(Self.seed(role: "no_one_allowed", restrict: false))
        defer { Task { await open.stop() } }
        let passed = try checks(try await open.ciauth(["doctor", "--json", "--project", "acme/deployer", "--device", "unix:/nonexistent/k.sock"], token: "alice-token"))
        #expect(passed["pipeline-variables"]?.status == .ok)
        #expect(passed["pipeline-variables"]?.message == "acme/deployer does not restrict pipeline variables: whoever may run a job may pass the approval")

        let restricted = try await KeysSimulation.start(Self.seed(role: "no_one_allowed", restrict: true))
        defer { Task { await restricted.stop() } }
        let refused = try checks(try await restricted.ciauth(["doctor", "--json", "--project", "acme/deployer", "--device", "unix:/nonexistent/k.sock"], token: "alice-token"))
        #expect(refused["pipeline-variables"]?.status == .fail)
    }
}
