import CIAuthCore
import Foundation
import Testing

/// The interactive paths on a real pseudo-terminal: confirmation and the no-echo PIN prompt.
@Suite("ciauth approve on a terminal")
struct ApproveTerminalTests {
    static let pythonAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")

    @Test("--require-pin: PIN typed at the terminal for enroll and approve; confirmed with y; UV flag in the approval",
          .enabled(if: pythonAvailable))
    func pinAndConfirmation() async throws {
        try await ApproveWorld.with(pin: "4711") { world in
            let enroll = try await world.ciauthOnTerminal(["enroll", "--require-pin"] + world.serverArguments, answer: "n", pin: "4711")
            try #require(enroll.status == 0, "\(enroll.stdout)")
            #expect(enroll.stdout.contains("Enter the PIN of the security key"))
            #expect(!enroll.stdout.contains("4711"), "the PIN is never echoed")

            let approve = try await world.ciauthOnTerminal(
                ["approve", "9001", "--project", "acme/web"] + world.serverArguments, answer: "y", pin: "4711")
            #expect(approve.status == 0, "\(approve.stdout)")
            #expect(approve.stdout.contains("Approve? [y/N]"))
            #expect(approve.stdout.contains("Enter the PIN of the security key"))
            #expect(!approve.stdout.contains("4711"))
            _ = try await world.sim.waitForJob(id: 9001)
            let verdict = try world.verify(
                try world.recordedApproval(job: 9001), job: 9001, name: "deploy:prod", pipeline: 500, environment: .named("production"))
            let accepted = try #require(verdict.accepted, "\(String(describing: verdict.rejection))")
            #expect(accepted.signature.signature.flags & 0x04 == 0x04, "user verified")
        }
    }

    @Test("require_uv in the committed .ciauth.yml: the PIN is asked for a key enrolled without --require-pin; UV flag in the approval",
          .enabled(if: pythonAvailable))
    func committedPolicyRequiresVerification() async throws {
        try await ApproveWorld.with(pin: "4711", policy: "require_uv: true\n") { world in
            let enroll = try await world.ciauthOnTerminal(["enroll"] + world.serverArguments, answer: "n", pin: "4711")
            try #require(enroll.status == 0, "\(enroll.stdout)")
            let approve = try await world.ciauthOnTerminal(
                ["approve", "9001", "--project", "acme/web"] + world.serverArguments, answer: "y", pin: "4711")
            #expect(approve.status == 0, "\(approve.stdout)")
            // Before: no PIN asked, the approval lacked UV and verify refused it after the play.
            #expect(approve.stdout.contains("Enter the PIN of the security key"))
            _ = try await world.sim.waitForJob(id: 9001)
            let verdict = try world.verify(
                try world.recordedApproval(job: 9001), job: 9001, name: "deploy:prod", pipeline: 500, environment: .named("production"))
            let accepted = try #require(verdict.accepted, "\(String(describing: verdict.rejection))")
            #expect(accepted.signature.signature.flags & 0x04 == 0x04, "user verified")
        }
    }

    @Test("answering no at the terminal: nothing signed or played, exit status 1 without an error", .enabled(if: pythonAvailable))
    func declined() async throws {
        try await ApproveWorld.with { world in
            try #require(try await world.enroll().status == 0)
            let approve = try await world.ciauthOnTerminal(
                ["approve", "9001", "--project", "acme/web"] + world.serverArguments, answer: "n", pin: "")
            #expect(approve.status == 1, "\(approve.stdout)")
            #expect(approve.stdout.contains("Not approved: nothing was signed or played."))
            #expect(!approve.stdout.contains("error:"))
            #expect(world.key.authenticator.signatureCounter == 1, "no assertion")
            #expect(world.sim.job(id: 9001)?.status == "manual")
        }
    }

    @Test("Ctrl-C at 'Approve? [y/N]' quits at once (130): nothing signed or played, no second Ctrl-C needed",
          .enabled(if: pythonAvailable))
    func ctrlCAtTheQuestion() async throws {
        try await ApproveWorld.with { world in
            try #require(try await world.enroll().status == 0)
            let counter = world.key.authenticator.signatureCounter
            let ciauth = BuiltBinary.productsDirectory.appendingPathComponent("ciauth").path
            let result = try await ApproveProcess.run(
                "/usr/bin/python3",
                [ApproveFixtures.path("pty-answer.py"), "Approve? [y/N]", ciauth, "approve", "9001", "--project", "acme/web"]
                    + world.serverArguments,
                environment: ["CIAUTH_TOKEN": ApproveWorld.token, "XDG_CONFIG_HOME": world.configHome.path,
                              "HOME": world.directory.path, "NO_COLOR": "1"],
                stdin: "^C\n", timeout: .seconds(90))
            #expect(result.status == 130, "\(result.stdout)")
            #expect(result.stdout.contains("interrupted: nothing was done"), "\(result.stdout)")
            #expect(world.key.authenticator.signatureCounter == counter, "no signature")
            #expect(world.sim.job(id: 9001)?.status == "manual")
        }
    }
}
