import ChildProcess
import Foundation
import Testing
import VirtualKey

/// Ctrl-C while ciauth waits for a touch cancels the operation on the key, which stays usable.
@Suite struct InterruptTests {
    @Test func ctrlCWhileWaitingForTouchCancelsOnTheKeyAndExits130() async throws {
        try await ApproveWorld.with(touch: .wait) { world in
            let environment = ProcessInfo.processInfo.environment.merging([
                "CIAUTH_TOKEN": ApproveWorld.token, "XDG_CONFIG_HOME": world.configHome.path,
                "HOME": world.directory.path, "NO_COLOR": "1",
            ]) { _, new in new }
            let errors = world.directory.appendingPathComponent("interrupt.err")
            let child = try ChildProcess.spawn(
                BuiltBinary.productsDirectory.appendingPathComponent("ciauth").path, ["enroll"] + world.serverArguments,
                environment: environment, stderr: .file(errors.path))
            defer { child.send(SIGKILL); child.wait() }

            try await waitUntil { world.key.authenticator.isWaitingForTouch }
            child.send(SIGINT)
            let exit = await child.exit(timeout: .seconds(30))

            #expect(exit.status == 130)
            let stderr = try String(contentsOf: errors, encoding: .utf8)
            #expect(stderr.contains("interrupted: cancelling"))
            #expect(stderr.contains("cancelled"))
            #expect(!world.key.authenticator.isWaitingForTouch)
            #expect(try world.enrolledKeys().isEmpty)

            // The key is usable afterwards: the next enroll succeeds with a touch.
            async let touched: Void = touchWhenWaiting(world.key.authenticator)
            let again = try await world.enroll()
            try await touched
            #expect(again.status == 0, "\(again.stderr)")
            #expect(try world.enrolledKeys().count == 1)
        }
    }

    private func touchWhenWaiting(_ authenticator: VirtualAuthenticator) async throws {
        try await waitUntil { authenticator.isWaitingForTouch }
        authenticator.touch()
    }

    private func waitUntil(timeout: Duration = .seconds(30), _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("condition not met within \(timeout)")
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
