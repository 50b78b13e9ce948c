import CIAuthCore
import Foundation
import Testing

/// `ciauth doctor` on a machine that is not set up yet: each failing check says what to do about
/// the setting actually at fault.
@Suite struct DoctorSetupTests {
    let ciauth = BuiltBinary(name: "ciauth")

    /// Doctor with a fresh home and no GitLab setting from the test's own environment.
    func doctor(_ arguments: [String], environment: [String: String] = [:]) async throws -> [String: DoctorCheck] {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("doctor-setup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let result = try await ciauth.run(
            ["doctor", "--json"] + arguments,
            environment: ["HOME": home.path, "XDG_CONFIG_HOME": home.path, "NO_COLOR": "1"].merging(environment) { _, new in new },
            unset: ["CIAUTH_SERVER", "CIAUTH_TOKEN", "GITLAB_HOST", "GITLAB_TOKEN", "GLAB_CONFIG_DIR", "CI_SERVER_URL", "CI_JOB_TOKEN", "CIAUTH_DEVICE"]
                .filter { environment[$0] == nil })
        #expect(result.status == 1, "\(result.stderr)")
        return Dictionary(uniqueKeysWithValues: try keysDecode([DoctorCheck].self, result.stdout, member: "checks").map { ($0.name, $0) })
    }

    @Test func noServerOrTokenSaysToLogIn() async throws {
        let noServer = try #require(try await doctor(["--device", "unix:/nonexistent/k.sock"])["gitlab"])
        #expect(noServer.status == .fail && noServer.message.contains("no GitLab server configured"), "\(noServer.message)")
        #expect(noServer.fix?.contains("ciauth auth login --server https://HOST") == true, "\(noServer.fix ?? "")")
        let noToken = try #require(try await doctor(["--device", "unix:/nonexistent/k.sock"], environment: ["CIAUTH_SERVER": "https://gitlab.example.com"])["gitlab"])
        #expect(noToken.status == .fail && noToken.message.contains("no GitLab token for https://gitlab.example.com"), "\(noToken.message)")
        #expect(noToken.fix?.contains("ciauth auth login") == true && noToken.fix?.contains("set --server") == false, "\(noToken.fix ?? "")")
    }

    @Test func aNamedKeyThatCannotBeOpenedSaysWhy() async throws {
        let check = try #require(try await doctor(["--device", "unix:/nonexistent/k.sock"])["security-key"])
        #expect(check.status == .fail)
        #expect(check.message.contains("No security key at unix:/nonexistent/k.sock"), "\(check.message)")
    }

    @Test func noFIDONodeIsSaidPlainly() async throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("doctor-sysfs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let check = try #require(try await doctor(["--sysfs-directory", empty.path, "--device", "unix:/nonexistent/k.sock"])["hidraw"])
        #expect(check.status == .ok && check.message == "no FIDO hidraw node: no security key is plugged in over USB", "\(check.message)")
    }

    @Test func aBadCIAUTH_DEVICEIsNamedNotIgnored() async throws {
        let check = try #require(try await doctor([], environment: ["CIAUTH_DEVICE": "/tmp/key.sock"])["security-key"])
        #expect(check.status == .fail)
        #expect(check.message.contains("CIAUTH_DEVICE: \"/tmp/key.sock\" is not a device address"), "\(check.message)")
        #expect(check.fix == "correct CIAUTH_DEVICE or unset it")
    }
}
