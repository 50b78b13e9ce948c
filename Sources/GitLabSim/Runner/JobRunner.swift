import ChildProcess
import Foundation
import Logging

/// The embedded runner: a played job runs its `script` with `/bin/sh -c` on a dedicated thread
/// (never on the concurrency pool: the process is waited for by blocking). The job gets a fresh
/// `CI_JOB_TOKEN` that is valid only while it runs; output becomes the job log, exit status 0
/// success, anything else failed.
final class JobRunner: @unchecked Sendable {
    static let maxLogBytes = 4 << 20

    private let store: SimStore
    private let logger: Logger
    private let scratch: URL
    private let lock = NSLock()
    private var processes: [Int: Child] = [:]
    private var active = 0

    init(store: SimStore, scratch: URL, logger: Logger) {
        self.store = store
        self.scratch = scratch
        self.logger = logger
    }

    /// Moves a pending job to running and starts its script.
    func start(jobId: Int) {
        guard let launch = store.withWorld({ world in prepare(jobId: jobId, in: &world) }) else { return }
        lock.withLock { active += 1 }
        let thread = Thread { [self] in
            run(launch)
            lock.withLock { active -= 1 }
        }
        thread.name = "gitlab-sim job \(jobId)"
        thread.start()
    }

    var runningCount: Int { lock.withLock { active } }

    /// Kills one job's script and everything it started (the job was canceled).
    func kill(jobId: Int) {
        lock.withLock { processes[jobId] }?.send(SIGKILL)
    }

    /// Kills every running script and everything it started (at shutdown): each script leads a
    /// process group of its own, so the group goes at once and the log pipe reaches EOF.
    func terminateAll() {
        let running = lock.withLock { Array(processes.values) }
        for child in running { child.send(SIGKILL) }
    }

    private struct Launch {
        var jobId: Int
        var script: String
        var environment: [String: String]
        var directory: String
        var token: String
        var timeout: Int
    }

    private func prepare(jobId: Int, in world: inout SimWorld) -> Launch? {
        guard var job = world.jobs[jobId], job.status == "pending" else { return nil }
        let token = JobRunner.newToken()
        let directory = job.workingDirectory ?? world.projects[job.projectId]?.workingDirectory
            ?? scratch.appendingPathComponent("job-\(jobId)").path
        job.status = "running"
        job.startedAt = Date()
        job.token = token
        world.jobs[jobId] = job
        return Launch(
            jobId: jobId, script: job.script,
            environment: JobEnvironment.variables(for: job, token: token, workingDirectory: directory, in: world),
            directory: directory, token: token, timeout: world.runner.timeoutSeconds
        )
    }

    private func run(_ launch: Launch) {
        let child: Child
        do {
            try FileManager.default.createDirectory(atPath: launch.directory, withIntermediateDirectories: true)
            child = try ChildProcess.spawn(
                "/bin/sh", ["-c", JobRunner.wrapper, launch.script], environment: launch.environment,
                directory: launch.directory, stdin: .null, stdout: .pipe, stderr: .stdout, newProcessGroup: true)
        } catch {
            finish(launch, log: "ERROR: Job failed (system failure): \(error)\n", exitCode: -1, reason: "runner_system_failure")
            return
        }
        lock.withLock { processes[launch.jobId] = child }
        let timer = DispatchWorkItem { child.send(SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(launch.timeout), execute: timer)
        let output = child.stdout.map { stream($0, into: launch) } ?? Data()
        let exit = child.wait()
        lock.withLock { processes[launch.jobId] = nil }
        timer.cancel()
        let signaled = exit.signal != nil
        let status = Int(exit.signal ?? exit.status)
        let text = String(decoding: output, as: UTF8.self)
        finish(launch, log: text, exitCode: signaled ? -Int(status) : status, reason: signaled ? "job_execution_timeout" : "script_failure")
    }

    /// Runs the script (`$0`) in a child shell, then, as a runner does when a job ends, sends
    /// SIGTERM to whatever it left running in the job's process group (the wrapper itself
    /// ignores it), so leftovers cannot hold the log open; exits with the script's status.
    static let wrapper = #"/bin/sh -c "$0"; status=$?; trap '' TERM; kill -TERM 0 2>/dev/null; exit $status"#

    /// Reads the script's output until EOF, publishing the log as it grows (the trace of a
    /// running job shows its output so far).
    private func stream(_ fd: Int32, into launch: Launch) -> Data {
        var output = Data()
        while true {
            let chunk = FileDescriptorIO.readSome(fd)
            if chunk.isEmpty { return output }
            output.append(chunk.prefix(max(0, JobRunner.maxLogBytes - output.count)))
            let text = String(decoding: output, as: UTF8.self).replacingOccurrences(of: launch.token, with: "[MASKED]")
            store.withWorld { world in world.jobs[launch.jobId]?.log = text }
        }
    }

    /// Records the outcome and revokes the token. The token is masked in the log, as GitLab does.
    /// A canceled job stays canceled.
    private func finish(_ launch: Launch, log: String, exitCode: Int, reason: String) {
        store.withWorld { world in
            guard var job = world.jobs[launch.jobId] else { return }
            job.log = log.replacingOccurrences(of: launch.token, with: "[MASKED]")
            guard job.status != "canceled" else {
                world.jobs[launch.jobId] = job
                return
            }
            job.exitCode = exitCode
            job.status = exitCode == 0 ? "success" : "failed"
            job.failureReason = exitCode == 0 ? nil : reason
            job.finishedAt = Date()
            job.token = nil
            world.jobs[launch.jobId] = job
        }
        logger.debug("job finished", metadata: ["job": "\(launch.jobId)", "exit": "\(exitCode)"])
    }

    /// A fresh job token (`glcbt-` prefix as GitLab's, 32 random bytes hex-encoded).
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return "glcbt-" + bytes.map { String(format: "%02x", $0) }.joined()
    }
}
