import ChildProcess
import CIAuthCore
import Foundation
import Testing

/// A `ciauth-virtual-key` process on a socket in a fresh temporary directory.
final class DevicesVirtualKey: @unchecked Sendable {
    struct StartFailure: Error {}

    let directory: URL
    let socketPath: String
    private var child: Child?

    init(_ arguments: [String] = []) throws {
        directory = URL(fileURLWithPath: "/tmp").appendingPathComponent("dv-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        socketPath = directory.appendingPathComponent("k.sock").path
        let child = try ChildProcess.spawn(
            BuiltBinary.productsDirectory.appendingPathComponent("ciauth-virtual-key").path, ["--socket", socketPath] + arguments)
        self.child = child
        let deadline = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: socketPath) {
            guard Date() < deadline, child.isRunning else {
                stop()
                throw StartFailure()
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    var address: String { "unix:" + socketPath }

    func stop() {
        if let child {
            child.send(SIGTERM)
            child.wait(timeout: .seconds(10))
        }
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }
}

/// `ciauth devices` against two virtual keys.
@Suite struct DevicesTests {
    static let aaguid = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"

    @Test func listsTwoVirtualKeys() async throws {
        let plain = try DevicesVirtualKey(["--aaguid", Self.aaguid])
        defer { plain.stop() }
        let withPIN = try DevicesVirtualKey(["--pin", "4321"])
        defer { withPIN.stop() }
        let ciauth = BuiltBinary(name: "ciauth")

        let json = try await ciauth.run(["devices", "--json", "--device", plain.address, "--device", withPIN.address])
        #expect(json.status == 0, "\(json.stderr)")
        let report = try keysDecode(DevicesReport.self, json.stdout)
        try JSONShape.check(json.stdout, .devices)
        #expect(report.devices.map(\.address) == [plain.address, withPIN.address])
        #expect(report.devices[0].aaguid == Self.aaguid)
        #expect(report.devices[0].pinSet == false && report.devices[1].pinSet == true)
        #expect(report.devices.allSatisfy { $0.versions.contains("FIDO_2_0") && $0.algorithms.contains("ES256") && $0.error == nil })

        let table = try await ciauth.run(["devices"], environment: ["CIAUTH_DEVICE": "\(plain.address),\(withPIN.address)"])
        #expect(table.status == 0)
        let lines = table.stdout.split(separator: "\n")
        #expect(lines.count == 3 && lines[0].hasPrefix("ADDRESS"))
        #expect(lines[1].contains(Self.aaguid) && lines[1].contains("not set"))
        #expect(lines[2].contains(" set ") && lines[2].hasSuffix("ok"))
    }

    @Test func keyThatCannotBeOpenedIsReported() async throws {
        let key = try DevicesVirtualKey()
        let address = key.address
        key.stop()  // the socket is gone: the key "exists" on the command line but cannot be opened
        let result = try await BuiltBinary(name: "ciauth").run(["devices", "--json", "--device", address])
        #expect(result.status == 20)
        let report = try keysDecode(DevicesReport.self, result.stdout)
        #expect(report.devices.count == 1 && report.devices[0].error != nil)
    }
}
