import Foundation
import Testing

/// A device address written wrongly is the command line's fault (64) or the environment's (78),
/// never a security-key failure (20): nothing was asked of a key.
@Suite struct DeviceAddressMistakeTests {
    let ciauth = BuiltBinary(name: "ciauth")

    @Test(arguments: [["devices"], ["enroll"], ["approve", "4711", "--project", "acme/web"], ["doctor"]])
    func aSocketPathWithoutUnixIsAUsageError(command: [String]) async throws {
        let result = try await ciauth.run(command + ["--device", "/tmp/key.sock"], environment: ["NO_COLOR": "1"])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("--device \"/tmp/key.sock\" is not a device address: use a hidraw path such as /dev/hidraw0 or unix:"), "\(result.stderr)")
    }

    @Test func aBadCIAUTH_DEVICEIsAConfigurationError() async throws {
        let result = try await ciauth.run(["devices"], environment: ["NO_COLOR": "1", "CIAUTH_DEVICE": "/tmp/key.sock"])
        #expect(result.status == 78, "\(result.stderr)")
        #expect(result.stderr.contains("CIAUTH_DEVICE: \"/tmp/key.sock\" is not a device address"), "\(result.stderr)")
        #expect(result.stderr.contains("correct CIAUTH_DEVICE or unset it"), "\(result.stderr)")
    }

    @Test("enroll with no key plugged in names both ways to point at one, as devices and doctor do")
    func enrollWithoutAKey() async throws {
        let simulation = try await KeysSimulation.start([
            "users": [["id": 2, "username": "alice", "name": "Alice", "tokens": ["alice-token"]]],
        ])
        defer { Task { await simulation.stop() } }
        let result = try await simulation.ciauth(["enroll"], token: "alice-token")
        #expect(result.status == 20, "\(result.stderr)")
        #expect(result.stderr.contains("No security key found. Plug in your security key, or name it with --device or CIAUTH_DEVICE (unix:PATH for a virtual key)."), "\(result.stderr)")
    }
}
