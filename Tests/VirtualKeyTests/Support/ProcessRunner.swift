import ChildProcess
import Foundation

/// Runs child processes for tests; always reaps them.
enum ProcessRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Directory of the running test binary: `.build/debug/` on Linux, where executables live.
    static var productsDirectory: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }

    static func run(_ executable: String, _ arguments: [String], timeout: TimeInterval = 120) throws -> Result {
        let output = try ChildProcess.run(executable, arguments, timeout: .seconds(timeout))
        return Result(
            status: output.status, stdout: String(decoding: output.stdout, as: UTF8.self),
            stderr: String(decoding: output.stderr, as: UTF8.self))
    }

    /// `/usr/bin/env python3` resolved through PATH.
    static func python(_ arguments: [String], timeout: TimeInterval = 120) throws -> Result {
        try run("/usr/bin/env", ["python3"] + arguments, timeout: timeout)
    }

    static let pythonFido2Available: Bool = {
        (try? python(["-c", "import fido2.hid, fido2.ctap2"], timeout: 30).status) == 0
    }()
}
