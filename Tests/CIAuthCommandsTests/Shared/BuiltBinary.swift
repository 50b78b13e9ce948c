import ChildProcess
import Foundation

/// Runs the package's built executables the way a user does, capturing output and exit status.
struct BuiltBinary {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The products directory: the test bundle lives next to the executables SwiftPM built.
    static let productsDirectory: URL = {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.pathComponents.count > 1, !FileManager.default.fileExists(atPath: url.appendingPathComponent("ciauth").path) {
            url.deleteLastPathComponent()
        }
        return url
    }()

    let url: URL

    /// One of the package's executables, by product name.
    init(name: String) {
        url = Self.productsDirectory.appendingPathComponent(name)
    }

    init(executable: URL) {
        url = executable
    }

    /// Output goes to temporary files rather than pipes: no pipe-buffer deadlock, and no
    /// interrupted reads when the test process receives signals.
    /// Runs the binary with the test's environment plus `environment`, less the names in `unset`,
    /// in `workingDirectory` when given. Async: the wait happens on a thread of its own, so tests
    /// waiting for children never hold the concurrency pool that in-process simulators answer on.
    func run(
        _ arguments: [String], environment: [String: String] = [:], unset: [String] = [], stdin: String? = nil,
        workingDirectory: URL? = nil
    ) async throws -> Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ciauth-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let paths = ["in", "out", "err"].map { directory.appendingPathComponent($0) }
        try Data((stdin ?? "").utf8).write(to: paths[0])
        for path in paths.dropFirst() { try Data().write(to: path) }

        var merged = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        for name in unset { merged[name] = nil }
        let child = try ChildProcess.spawn(
            url.path, arguments, environment: merged, directory: workingDirectory?.path,
            stdin: .file(paths[0].path), stdout: .file(paths[1].path), stderr: .file(paths[2].path))
        let exitStatus = await child.exit(timeout: .seconds(600)).status
        return Result(
            status: exitStatus,
            stdout: try String(contentsOf: paths[1], encoding: .utf8),
            stderr: try String(contentsOf: paths[2], encoding: .utf8)
        )
    }
}
