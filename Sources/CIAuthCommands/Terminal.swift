import Foundation

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

    /// Whether a yes/no question waits for its answer (read by the Ctrl-C handler).
    static var isAsking: Bool { asking.value }
    private static let asking = QuestionState()

    static var useColor: Bool {
        guard stderrIsTTY else { return false }
        if let noColor = getenv("NO_COLOR"), noColor.pointee != 0 { return false }
        return true
    }

    /// Writes a line for the human to stderr.
    static func note(_ line: String) {
        writeAll(safe(line) + "\n", to: STDERR_FILENO)
    }

    /// Text that may come from GitLab, a key or a file, made harmless for a terminal: control
    /// characters other than newline and tab, and invisible format characters (bidi overrides,
    /// zero-width), are removed, so a job name or key title cannot move the cursor, recolour or
    /// reorder what the person reads.
    static func safe(_ text: String) -> String {
        var result = ""
        result.unicodeScalars.append(contentsOf: text.unicodeScalars.filter { scalar in
            scalar == "\n" || scalar == "\t"
                || !(scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.properties.isDefaultIgnorableCodePoint)
        })
        return result
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

    /// Writes the question to stderr and reads one line from stdin; only "y" or "yes" mean yes.
    static func askYesNo(_ question: String) -> Bool {
        writeAll(safe(question), to: STDERR_FILENO)
        asking.set(true)
        let read = readLine(strippingNewline: true)
        asking.set(false)
        guard let line = read else { return false }
        let answer = line.trimmingCharacters(in: .whitespaces).lowercased()
        return answer == "y" || answer == "yes"
    }

    static func error(_ message: String) {
        let label = useColor ? "\u{1B}[1;31merror:\u{1B}[0m" : "error:"
        writeAll("\(label) \(safe(message))\n", to: STDERR_FILENO)
    }

    static func warning(_ message: String) {
        let label = useColor ? "\u{1B}[1;33mwarning:\u{1B}[0m" : "warning:"
        writeAll("\(label) \(safe(message))\n", to: STDERR_FILENO)
    }
}

/// Set on the command's thread, read on the signal handler's queue.
private final class QuestionState: @unchecked Sendable {
    private let lock = NSLock()
    private var open = false

    var value: Bool { lock.withLock { open } }

    func set(_ value: Bool) { lock.withLock { open = value } }
}
