import Foundation

/// The control socket (`PATH.ctl`): one command per line, one answer line each.
///
/// `touch` → `ok` (a touch for the current or next wait), `deny` → `ok`, `status` →
/// `waiting` or `idle`, `power-cycle` → `ok`; anything else → `error unknown command`.
enum ControlChannel {
    static func serve(_ fd: Int32, authenticator: VirtualAuthenticator) {
        var buffer: [UInt8] = []
        while case .data(let bytes) = UnixSocket.readSome(fd, upTo: 256, timeoutMs: -1) {
            buffer += bytes
            guard buffer.count <= 4096 else { return }
            while let newline = buffer.firstIndex(of: 0x0a) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self).trimmingCharacters(in: .whitespaces)
                buffer.removeSubrange(...newline)
                let answer = execute(line, authenticator)
                guard UnixSocket.writeAll(fd, Array((answer + "\n").utf8)) else { return }
            }
        }
    }

    static func execute(_ line: String, _ authenticator: VirtualAuthenticator) -> String {
        switch line {
        case "touch": authenticator.touch(); return "ok"
        case "deny": authenticator.deny(); return "ok"
        case "power-cycle": authenticator.powerCycle(); return "ok"
        case "status": return authenticator.isWaitingForTouch ? "waiting" : "idle"
        default: return "error unknown command"
        }
    }
}
