import ChildProcess
import CIAuthCore
import Foundation
import Testing

/// `ciauth devices` against a key another program keeps busy (waiting for a touch).
@Suite struct DevicesBusyTests {
    @Test func aBusyKeyIsShownAsBusyNotAsU2F() async throws {
        let key = try DevicesVirtualKey(["--touch", "never", "--touch-timeout", "60"])
        defer { key.stop() }
        let output = key.directory.appendingPathComponent("busy.out")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let holder = try ChildProcess.spawn(
            "/usr/bin/python3", [ApproveFixtures.path("busy-key.py"), key.socketPath], stdout: .file(output.path))
        defer {
            holder.send(SIGKILL)
            holder.wait(timeout: .seconds(10))
        }
        let deadline = Date().addingTimeInterval(20)
        while (try? String(contentsOf: output, encoding: .utf8))?.contains("waiting") != true {
            try #require(Date() < deadline && holder.isRunning, "the key did not start waiting for a touch")
            try await Task.sleep(for: .milliseconds(50))
        }

        let ciauth = BuiltBinary(name: "ciauth")
        let json = try await ciauth.run(["devices", "--json", "--device", key.address])
        #expect(json.status == 20, "\(json.stdout)\(json.stderr)")
        let report = try keysDecode(DevicesReport.self, json.stdout)
        let device = try #require(report.devices.first)
        #expect(device.versions != ["U2F_V2"], "a busy FIDO2 key is not a U2F key: \(device)")
        #expect(device.error?.contains("busy") == true, "\(device)")

        let table = try await ciauth.run(["devices", "--device", key.address], environment: ["NO_COLOR": "1"])
        #expect(table.stdout.contains("busy"), "\(table.stdout)")
        #expect(!table.stdout.contains("U2F_V2") && !table.stdout.contains("unsupported"), "\(table.stdout)")
    }
}
