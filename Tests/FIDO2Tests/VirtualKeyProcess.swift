import ChildProcess
import Testing
import FIDO2
import Foundation

/// A `ciauth-virtual-key` process serving a socket in a fresh temporary directory; stopped (and
/// the directory removed) after `stop()` or `deinit`.
final class VirtualKeyProcess: @unchecked Sendable {
    struct StartFailure: Error, CustomStringConvertible { let description: String }

    let directory: TemporaryDirectory
    let socketPath: String
    private var child: Child?
    private let lock = NSLock()
    private var output = Data()
    private var stopped = false

    var address: DeviceAddress { DeviceAddress(unixSocketPath: socketPath) }
    var controlPath: String { socketPath + ".ctl" }

    /// The built executable next to the running test binary (`.build/debug/`).
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("ciauth-virtual-key")
    }

    /// Starts the key and returns once it listens. Every wait happens on threads of their own,
    /// never on the concurrency pool: with one pool thread per core, a test blocked there for a
    /// key's start (seconds on a loaded machine) stalls every in-process server and deadline.
    init(_ arguments: [String] = []) async throws {
        directory = try TemporaryDirectory()
        socketPath = directory.file("k.sock")
        let child = try ChildProcess.spawn(Self.executable.path, ["--socket", socketPath] + arguments, stdout: .pipe)
        self.child = child
        let ready = DispatchSemaphore(value: 0)
        Thread.detachNewThread { [self] in drain(child, signal: ready) }
        let listening = await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: ready.wait(timeout: .now() + 20) == .success) }
        }
        guard listening, child.isRunning else {
            stop()
            throw StartFailure(description: "ciauth-virtual-key \(arguments) did not start: \(outputText)")
        }
    }

    deinit { stop() }

    private var outputText: String { lock.withLock { String(decoding: output, as: UTF8.self) } }

    private func drain(_ child: Child, signal: DispatchSemaphore) {
        var signalled = false
        while let fd = child.stdout {
            let chunk = FileDescriptorIO.readSome(fd)
            if chunk.isEmpty { break }
            let text = lock.withLock { () -> String in
                output.append(chunk)
                return String(decoding: output, as: UTF8.self)
            }
            if !signalled, text.contains("listening on") {
                signalled = true
                signal.signal()
            }
        }
        if !signalled { signal.signal() }
    }

    /// Asks the key to stop (SIGTERM) and returns at once; a thread of its own reaps it (SIGKILL
    /// after 10 s) and then removes the directory. Idempotent.
    func stop() {
        let child: Child? = lock.withLock {
            guard !stopped else { return nil }
            stopped = true
            return self.child
        }
        guard let child else { return }
        let directory = self.directory
        child.send(SIGTERM)
        Thread.detachNewThread {
            child.wait(timeout: .seconds(10))
            directory.remove()
        }
    }

    /// Sends one line to the control socket (`touch`, `deny`, `status`, `power-cycle`) and returns the answer.
    @discardableResult
    func control(_ command: String) throws -> String {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw StartFailure(description: "socket failed") }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(controlPath.utf8)) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else { throw StartFailure(description: "cannot connect to \(controlPath)") }
        let line = Array((command + "\n").utf8)
        guard write(fd, line, line.count) == line.count else { throw StartFailure(description: "write failed") }
        var answer: [UInt8] = []
        var byte: UInt8 = 0
        while read(fd, &byte, 1) == 1, byte != 0x0a { answer.append(byte) }
        return String(decoding: answer, as: UTF8.self)
    }

    /// The test attestation root the virtual key's certificates chain to (for `--attestation MODE`).
    static func attestationRootPEM(_ arguments: [String] = []) async throws -> String {
        let result = try await ChildProcess.runOffPool(executable.path, ["--print-attestation-ca"] + arguments, timeout: .seconds(30))
        return String(decoding: result.stdout, as: UTF8.self)
    }
}

/// Collects device events from the library's callback threads.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [DeviceEvent] = []
    private let onEvent: (@Sendable (DeviceEvent) -> Void)?

    init(onEvent: (@Sendable (DeviceEvent) -> Void)? = nil) { self.onEvent = onEvent }

    var handler: DeviceEventHandler {
        { [self] event in
            lock.withLock { events.append(event) }
            onEvent?(event)
        }
    }

    var all: [DeviceEvent] { lock.withLock { events } }
}

/// A PIN provider answering from a script and recording what it was asked.
final class ScriptedPIN: PINProvider, @unchecked Sendable {
    private let lock = NSLock()
    private var answers: [String?]
    private(set) var requests: [PINRequest] = []

    init(_ answers: [String?]) { self.answers = answers }

    var asked: [PINRequest] { lock.withLock { requests } }

    func pin(for request: PINRequest) async throws(FIDO2Error) -> String? {
        lock.withLock {
            requests.append(request)
            return answers.isEmpty ? nil : answers.removeFirst()
        }
    }
}

enum Sample {
    static let rpID = "ssh:ciauth"
    static func hash(_ seed: UInt8 = 1) -> [UInt8] { (0..<32).map { UInt8($0) &+ seed } }

    static func credentialRequest(
        _ algorithm: Algorithm = .es256, timeout: Duration = .seconds(10), roots: AttestationRoots? = nil
    ) -> CredentialRequest {
        CredentialRequest(
            rpID: rpID, userID: Array("alice".utf8), userName: "alice", algorithm: algorithm,
            attestationRoots: roots, timeout: timeout)
    }

    static func reference(_ credential: Credential, label: String = "SHA256:test (alice@laptop)") -> CredentialReference {
        CredentialReference(
            credentialID: credential.credentialID, algorithm: credential.algorithm, publicKey: credential.publicKey,
            label: label)
    }

    static func assertionRequest(
        _ credentials: [Credential], timeout: Duration = .seconds(10), userVerification: Bool = false
    ) -> AssertionRequest {
        AssertionRequest(
            rpID: rpID, clientDataHash: hash(), allowedCredentials: credentials.map { reference($0) },
            userVerification: userVerification, timeout: timeout)
    }
}

/// Expects `body` to throw a FIDO2Error of `kind`; returns it.
@discardableResult
func expectFIDO2Error<T>(
    _ kind: FIDO2Error.Kind, _ body: () async throws(FIDO2Error) -> T
) async -> FIDO2Error? {
    do {
        _ = try await body()
        Issue.record("expected \(kind), but the call succeeded")
        return nil
    } catch {
        if error.kind != kind { Issue.record("expected \(kind), got \(error.kind): \(error)") }
        return error
    }
}

/// The task's value, with the error typed (tasks only carry `any Error`).
func typedValue<T: Sendable>(_ task: Task<T, any Error>) async throws(FIDO2Error) -> T {
    do {
        return try await task.value
    } catch let error as FIDO2Error {
        throw error
    } catch {
        Issue.record("unexpected error type: \(error)")
        throw FIDO2Error(.other, "\(error)")
    }
}
