import ChildProcess
import Crypto
import Foundation
import GitLabSim
import Testing

/// templates/verify.yml as a pipeline gets it: interpolated from its `spec:inputs`, its job's
/// before_script and script run by the simulator's runner. The job downloads a ciauth release
/// (a tarball of the built binary) from the release project's generic package registry with its
/// job token, checks the pinned SHA-256, and runs `ciauth verify` before the user's commands.
extension VerifyEndToEndTests {
    @Suite("templates/verify.yml end to end", .serialized)
    struct ComponentEndToEndTests {
        static let template = GeneratedFilesTests.packageRoot.appendingPathComponent("templates/verify.yml")

        /// A release tarball laid out as `make dist` makes it (a top directory holding `ciauth`),
        /// uploaded as `version`; returns its SHA-256.
        static func publish(_ world: VerifyWorld, version: String, binary: URL = BuiltBinary.productsDirectory.appendingPathComponent("ciauth")) async throws -> String {
            let directory = world.directory.appendingPathComponent("release-\(version)-\(UUID().uuidString)")
            let top = directory.appendingPathComponent("ciauth-\(version)-linux-\(machine)")
            try FileManager.default.createDirectory(at: top, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: binary, to: top.appendingPathComponent("ciauth"))
            let tarball = directory.appendingPathComponent(fileName(version))
            try await run("/usr/bin/tar", ["-C", directory.path, "-I", "gzip -1", "-cf", tarball.path, top.lastPathComponent])
            try FileManager.default.removeItem(at: top)
            try await upload(world, tarball, version: version)
            return SHA256.hash(data: try Data(contentsOf: tarball)).map { String(format: "%02x", $0) }.joined()
        }

        /// A maintainer of the release project (here: an administrator) publishing a file.
        static func upload(_ world: VerifyWorld, _ file: URL, version: String) async throws {
            let url = "\(world.sim.baseURL)/api/v4/projects/tools%2Fciauth/packages/generic/ciauth/\(version)/\(fileName(version))"
            let output = try await run("/usr/bin/curl", ["-q", "-sS", "-f", "--noproxy", "*", "-H", "PRIVATE-TOKEN: root-token",
                                                   "--upload-file", file.path, url])
            #expect(output.contains("201 Created"), "\(output)")
        }

        static let machine: String = {
            var names = utsname()
            guard uname(&names) == 0 else { return "x86_64" }
            return withUnsafeBytes(of: &names.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }()
        static func fileName(_ version: String) -> String { "ciauth-\(version)-linux-\(machine).tar.gz" }

        /// Waits off the concurrency pool: curl uploads to the in-process simulator, which answers
        /// on that pool, and tar compresses an 80 MB binary for seconds on a loaded machine.
        @discardableResult
        static func run(_ executable: String, _ arguments: [String]) async throws -> String {
            let output = try await ChildProcess.runOffPool(executable, arguments, timeout: .seconds(120))
            guard output.exit.succeeded else {
                throw ComponentTemplate.Refusal("\(executable) \(arguments.joined(separator: " ")): \(output.exit) \(String(decoding: output.stderr, as: UTF8.self))")
            }
            return String(decoding: output.stdout, as: UTF8.self)
        }

        /// The component's job for a new pipeline of acme/web, interpolated with `inputs` over
        /// the defaults below; returns the pipeline (its job is named `deploy`).
        static func pipeline(_ world: VerifyWorld, version: String, sha256: String, inputs: [String: Any] = [:]) async throws -> VerifyWorld.Pipeline {
            var all: [String: Any] = [
                "release_project": VerifyWorld.releaseProjectPath, "version": version, "sha256": sha256,
                "server": world.sim.baseURL, "project": VerifyWorld.projectPath, "job_name": "deploy",
                "environment": "production", "extra_flags": "--no-checkout",
                "before_script": ["echo setup-after-verify"], "script": ["echo deployed-by-component"],
                // Packages every Debian system has: the install step runs, and never apt-get here.
                "packages": "coreutils tar",
            ]
            all.merge(inputs) { _, new in new }
            let component = try ComponentTemplate(path: template, inputs: all)
            let script = try component.shellScript(job: "deploy")
            return try await world.pipeline(jobs: ["deploy"], scriptWrapper: { _ in script })
        }

        @Test("download, checksum and verify pass; then the user's before_script and script run, in that order")
        func approvedJobRuns() async throws {
            let world = try VerifyWorld.current
            let sha256 = try await Self.publish(world, version: "0.2.0-e2e.1")
            let pipeline = try await Self.pipeline(world, version: "0.2.0-e2e.1", sha256: sha256)
            let approval = try await world.alice.approve(try world.statement(for: pipeline))
            let job = try await world.play(pipeline.job.id, approval: approval)
            #expect(job.status == "success", "\(job.log)")
            #expect(job.log.contains("ciauth: downloading \(Self.fileName("0.2.0-e2e.1")) from tools/ciauth"))
            let approved = try #require(job.log.range(of: "APPROVED by @alice"), "\(job.log)")
            let setup = try #require(job.log.range(of: "setup-after-verify"))
            let deployed = try #require(job.log.range(of: "deployed-by-component"))
            #expect(approved.lowerBound < setup.lowerBound && setup.lowerBound < deployed.lowerBound)
        }

        @Test("a release file replaced in the registry (newest duplicate served) stops the job before ciauth runs")
        func tamperedDownloadStopsTheJob() async throws {
            let world = try VerifyWorld.current
            let version = "0.2.0-e2e.2"
            let sha256 = try await Self.publish(world, version: version)
            // Someone who may publish uploads another file of the same name: GitLab serves it.
            let impostor = world.directory.appendingPathComponent("impostor-\(UUID().uuidString)")
            try Data("#!/bin/sh\necho APPROVED by @alice\nexit 0\n".utf8).write(to: impostor)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: impostor.path)
            _ = try await Self.publish(world, version: version, binary: impostor)
            let pipeline = try await Self.pipeline(world, version: version, sha256: sha256)
            let approval = try await world.alice.approve(try world.statement(for: pipeline))
            let job = try await world.play(pipeline.job.id, approval: approval)
            #expect(job.status == "failed", "\(job.log)")
            #expect(job.log.contains("has SHA-256 "), "\(job.log)")
            #expect(job.log.contains("not the pinned \(sha256): not running it"), "\(job.log)")
            #expect(!job.log.contains("APPROVED"), "neither the impostor nor ciauth ran")
            #expect(!job.log.contains("setup-after-verify") && !job.log.contains("deployed-by-component"))
        }

        @Test("without an approval verify refuses, and neither the user's before_script nor script runs")
        func unapprovedJobStops() async throws {
            let world = try VerifyWorld.current
            let sha256 = try await Self.publish(world, version: "0.2.0-e2e.3")
            let pipeline = try await Self.pipeline(world, version: "0.2.0-e2e.3", sha256: sha256)
            let job = try await world.play(pipeline.job.id, approval: nil)
            #expect(job.status == "failed", "\(job.log)")
            #expect(job.log.contains("REJECTED") || job.log.contains("approval"), "\(job.log)")
            #expect(!job.log.contains("setup-after-verify") && !job.log.contains("deployed-by-component"))
        }

        @Test("a version that was never published stops the job at the download")
        func missingReleaseStopsTheJob() async throws {
            let world = try VerifyWorld.current
            let pipeline = try await Self.pipeline(world, version: "9.9.9", sha256: String(repeating: "0", count: 64))
            let approval = try await world.alice.approve(try world.statement(for: pipeline))
            let job = try await world.play(pipeline.job.id, approval: approval)
            #expect(job.status == "failed", "\(job.log)")
            #expect(job.log.contains("404"), "\(job.log)")
            #expect(!job.log.contains("deployed-by-component"))
        }
    }
}
