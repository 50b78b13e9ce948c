#if canImport(Glibc)
import Glibc
#endif

/// Reads a secret from the controlling terminal (`/dev/tty`) without echo, like getpass(3).
///
/// Stdin and stdout are left alone, so the PIN can never come from a pipe or land in a log.
/// The terminal runs in non-canonical mode without echo or signals while reading: Backspace
/// edits, Ctrl-U clears, Ctrl-C or Ctrl-D cancels (returns nil), Enter ends. The previous
/// terminal settings are restored on every path.
public enum TerminalPrompt {
    private static let maximumLength = 255

    public static func readSecret(prompt: String, terminalPath: String = "/dev/tty") throws(FIDO2Error) -> String? {
        let fd = open(terminalPath, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else {
            throw FIDO2Error(.invalidRequest, "A PIN is needed but there is no terminal to ask it on.", call: "open /dev/tty")
        }
        defer { close(fd) }
        var saved = termios()
        guard tcgetattr(fd, &saved) == 0 else {
            throw FIDO2Error(.invalidRequest, "A PIN is needed but \(terminalPath) is not a terminal.", call: "tcgetattr")
        }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO | ECHONL | ICANON | ISIG)
        withUnsafeMutableBytes(of: &quiet.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        write(fd, prompt)
        guard tcsetattr(fd, TCSAFLUSH, &quiet) == 0 else {
            throw FIDO2Error(.invalidRequest, "Cannot turn off echo on the terminal.", call: "tcsetattr")
        }
        defer {
            _ = tcsetattr(fd, TCSAFLUSH, &saved)
            write(fd, "\n")
        }
        return readLine(fd)
    }

    /// Collects bytes until Enter; nil on Ctrl-C, Ctrl-D, end of input or error.
    private static func readLine(_ fd: Int32) -> String? {
        var bytes: [UInt8] = []
        defer { for index in bytes.indices { bytes[index] = 0 } }
        while true {
            var byte: UInt8 = 0
            let n = read(fd, &byte, 1)
            if n < 0 && errno == EINTR { continue }
            guard n == 1 else { return nil }
            switch byte {
            case 0x0a, 0x0d: return String(decoding: bytes, as: UTF8.self)
            case 0x03, 0x04: return nil
            case 0x7f, 0x08: if !bytes.isEmpty { bytes.removeLast() }
            case 0x15: bytes.removeAll(keepingCapacity: true)
            default: if bytes.count < maximumLength { bytes.append(byte) }
            }
        }
    }

    private static func write(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    }
}
