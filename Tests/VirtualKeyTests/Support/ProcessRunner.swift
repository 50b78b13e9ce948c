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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Drain both pipes concurrently so a chatty child never blocks.
        let collected = Collected()
        let group = DispatchGroup()
        for (pipe, keyPath) in [(out, \Collected.stdout), (err, \Collected.stderr)] {
            group.enter()
            DispatchQueue.global().async {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                collected.set(keyPath, data)
                group.leave()
            }
        }
        if group.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            group.wait()
        }
        let exit = ChildProcess.wait(for: process, timeout: .seconds(10))
        return Result(status: exit.status, stdout: collected.text(\.stdout), stderr: collected.text(\.stderr))
    }

    /// `/usr/bin/env python3` resolved through PATH.
    static func python(_ arguments: [String], timeout: TimeInterval = 120) throws -> Result {
        try run("/usr/bin/env", ["python3"] + arguments, timeout: timeout)
    }

    static let pythonFido2Available: Bool = {
        (try? python(["-c", "import fido2.hid, fido2.ctap2"], timeout: 30).status) == 0
    }()
}

private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    var stdout = Data()
    var stderr = Data()

    func set(_ keyPath: ReferenceWritableKeyPath<Collected, Data>, _ data: Data) {
        lock.withLock { self[keyPath: keyPath] = data }
    }

    func text(_ keyPath: KeyPath<Collected, Data>) -> String {
        lock.withLock { String(decoding: self[keyPath: keyPath], as: UTF8.self) }
    }
}
