import CIAuthCore
import Foundation

/// The ID token and the approval, from stdin (one line each, token first) or from files. Each is
/// refused once it passes its size cap, before anything parses it. Stdin is read one byte at a
/// time and no further than the approval's line: what follows belongs to the protected command
/// (`gate exec`), e.g. the artifact an SSH deploy streams after the two lines.
struct GateInput {
    static let tokenCap = 16 * 1024
    static let approvalCap = 32 * 1024

    var idToken: String
    var approval: String

    static func read(idTokenFile: String?, approvalFile: String?) throws(GateFailure) -> GateInput {
        let token: String
        if let idTokenFile { token = try file(idTokenFile, cap: tokenCap, oversize: .tokenOversize) } else {
            token = try line(cap: tokenCap, oversize: .tokenOversize)
        }
        guard !token.isEmpty else { throw GateFailure(.tokenMissing, "no ID token was given (first line of stdin, or --id-token-file)") }
        let approval: String
        if let approvalFile { approval = try file(approvalFile, cap: approvalCap, oversize: .approvalOversize) } else {
            approval = try line(cap: approvalCap, oversize: .approvalOversize)
        }
        return GateInput(idToken: token, approval: approval)
    }

    /// One line of stdin without its LF; EOF ends the last line too.
    private static func line(cap: Int, oversize: GateFailure.Reason) throws(GateFailure) -> String {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let count = Foundation.read(STDIN_FILENO, &byte, 1)
            if count < 0, errno == EINTR { continue }
            guard count == 1, byte != 0x0A else { break }
            guard bytes.count < cap else { throw GateFailure(oversize, "the input line is longer than \(cap) bytes") }
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func file(_ path: String, cap: Int, oversize: GateFailure.Reason) throws(GateFailure) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw GateFailure(.configurationInvalid, "cannot read \(path)")
        }
        defer { try? handle.close() }
        let data = ((try? handle.read(upToCount: cap + 2)) ?? nil) ?? Data()
        var bytes = [UInt8](data)
        if bytes.last == 0x0A { bytes.removeLast() }
        guard bytes.count <= cap else { throw GateFailure(oversize, "\(path) is larger than \(cap) bytes") }
        return String(decoding: bytes, as: UTF8.self)
    }
}
