import CIAuthCore
import FIDO2
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The terminal side of enroll and approve: notes and prompts on stderr, the PIN from the
/// terminal without echo, and yes/no only when stdin and stderr are both a terminal.
enum ApproveTerminal {
    static func interaction() -> ApproveInteraction {
        ApproveInteraction(
            note: { Terminal.note($0) },
            deviceEvents: { event in
                if let prompt = ApproveInteraction.prompt(for: event) { Terminal.note(prompt) }
            },
            pin: TerminalPINProvider(),
            confirm: { question in
                guard Terminal.stdinIsTTY, Terminal.stderrIsTTY else { return nil }
                return askYesNo(question)
            })
    }

    /// Writes the question to stderr and reads one line from stdin; only "y" or "yes" mean yes.
    static func askYesNo(_ question: String) -> Bool {
        Terminal.askYesNo(question)
    }

    /// The host name for key titles and comments (printable, no spaces).
    static func hostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let clean = name.filter { $0.isASCII && !$0.isWhitespace && !$0.isNewline }
        return clean.isEmpty ? "localhost" : clean
    }
}
