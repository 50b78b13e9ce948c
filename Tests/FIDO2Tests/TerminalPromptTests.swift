import Foundation
import Testing

@testable import FIDO2

// glibc's pty functions are hidden from the Glibc module (feature macros); bind them directly.
@_silgen_name("posix_openpt") private func openMasterPTY(_ flags: Int32) -> Int32
@_silgen_name("grantpt") private func grantPTY(_ fd: Int32) -> Int32
@_silgen_name("unlockpt") private func unlockPTY(_ fd: Int32) -> Int32
@_silgen_name("ptsname_r") private func slaveName(_ fd: Int32, _ buffer: UnsafeMutablePointer<CChar>, _ size: Int) -> Int32

/// The PIN prompt on a pseudo-terminal: no echo, line editing, cancel, settings restored.
@Suite struct TerminalPromptTests {
    final class PseudoTerminal {
        let master: Int32
        let slavePath: String

        init() throws {
            master = openMasterPTY(O_RDWR | O_NOCTTY)
            var name = [CChar](repeating: 0, count: 128)
            guard master >= 0, grantPTY(master) == 0, unlockPTY(master) == 0, slaveName(master, &name, name.count) == 0
            else { throw FIDO2Error(.internalError, "no pseudo-terminal") }
            slavePath = String(decoding: name.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }

        deinit { close(master) }

        func type(_ text: String) { _ = Array(text.utf8).withUnsafeBytes { write(master, $0.baseAddress, $0.count) } }

        /// What the program wrote to the terminal so far.
        func screen() -> String {
            var output: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 512)
            while true {
                var poller = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, 200) > 0 else { break }
                let n = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, 512) }
                guard n > 0 else { break }
                output += buffer[..<n]
            }
            return String(decoding: output, as: UTF8.self)
        }
    }

    func readSecret(typing input: String) async throws -> (String?, String, termios, termios) {
        let terminal = try PseudoTerminal()
        let slave = open(terminal.slavePath, O_RDWR | O_NOCTTY)
        defer { close(slave) }
        var before = termios()
        tcgetattr(slave, &before)
        let provider = TerminalPINProvider(terminalPath: terminal.slavePath)
        let request = PINRequest(device: DeviceAddress(unixSocketPath: "/k"), retriesLeft: 8, previousAttemptFailed: false)
        let reading = Task { () async throws -> String? in try await provider.pin(for: request) }
        // Type only once echo is off (input typed earlier would be flushed, as on a real terminal).
        var current = termios()
        for _ in 0..<500 where tcgetattr(slave, &current) == 0 && current.c_lflag & tcflag_t(ECHO) != 0 {
            try await Task.sleep(for: .milliseconds(10))
        }
        terminal.type(input)
        let secret = try await reading.value
        let screen = terminal.screen()
        var after = termios()
        tcgetattr(slave, &after)
        return (secret, screen, before, after)
    }

    @Test func readsWithoutEchoAndWithEditing() async throws {
        let (secret, screen, before, after) = try await readSecret(typing: "12ab\u{7f}34\r")
        #expect(secret == "12a34")
        #expect(screen.contains("Enter the PIN of the security key unix:/k (8 tries left): "))
        #expect(!screen.contains("12a"))
        #expect(before.c_lflag == after.c_lflag)
    }

    @Test func controlCCancels() async throws {
        let (secret, _, before, after) = try await readSecret(typing: "12\u{03}")
        #expect(secret == nil)
        #expect(before.c_lflag == after.c_lflag)
    }
}
