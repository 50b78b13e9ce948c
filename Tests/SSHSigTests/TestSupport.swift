import ChildProcess
import Foundation

/// A fresh directory removed when the value goes away.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("sshsig-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    func path(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }

    @discardableResult
    func write(_ name: String, _ contents: String) throws -> String {
        try contents.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        try Data(bytes).write(to: url.appendingPathComponent(name))
        return path(name)
    }
}

struct ProcessOutput {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs a program to completion with `stdin` as input, both outputs drained at once.
func run(_ executable: String, _ arguments: [String], stdin: [UInt8] = [], environment: [String: String] = [:]) throws -> ProcessOutput {
    let output = try ChildProcess.run(
        executable, arguments, environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
        input: Data(stdin), timeout: .seconds(120))
    return ProcessOutput(
        status: output.status, stdout: String(decoding: output.stdout, as: UTF8.self),
        stderr: String(decoding: output.stderr, as: UTF8.self))
}

/// Files under Tests/SSHSigTests/Fixtures, found next to the running test binary.
enum Fixtures {
    static func url(_ name: String) -> URL {
        let binaryDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let besideBinary = binaryDirectory.appendingPathComponent("ciauth_SSHSigTests.resources/Fixtures/\(name)")
        if FileManager.default.fileExists(atPath: besideBinary.path) { return besideBinary }
        return Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil) ?? besideBinary
    }

    static func text(_ name: String) throws -> String {
        try String(contentsOf: url(name), encoding: .utf8)
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: url(name)))
    }
}

/// Paths of system tools the oracle tests need.
enum Tools {
    static let sshKeygen = find("ssh-keygen")
    static let cc = find("cc")

    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
