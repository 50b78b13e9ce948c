#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Terminal conventions: data on stdout, everything for the human on stderr,
/// colour only on a TTY and never with `NO_COLOR`.
enum Terminal {
    static var stderrIsTTY: Bool { isatty(STDERR_FILENO) == 1 }
    static var stdinIsTTY: Bool { isatty(STDIN_FILENO) == 1 }

    static var useColor: Bool {
        guard stderrIsTTY else { return false }
        if let noColor = getenv("NO_COLOR"), noColor.pointee != 0 { return false }
        return true
    }

    /// Writes a line for the human to stderr.
    static func note(_ line: String) {
        writeAll(line + "\n", to: STDERR_FILENO)
    }

    /// Writes data to stdout.
    static func output(_ text: String) {
        writeAll(text.hasSuffix("\n") ? text : text + "\n", to: STDOUT_FILENO)
    }

    /// Unbuffered write of the whole string, retrying on partial writes and EINTR.
    private static func writeAll(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            bytes = bytes.dropFirst(written)
        }
    }

    static func error(_ message: String) {
        let label = useColor ? "\u{1B}[1;31merror:\u{1B}[0m" : "error:"
        note("\(label) \(message)")
    }

    static func warning(_ message: String) {
        let label = useColor ? "\u{1B}[1;33mwarning:\u{1B}[0m" : "warning:"
        note("\(label) \(message)")
    }
}
