import Foundation
import Testing

@testable import CIAuthCore

/// The pass store's durability is what makes a replay impossible: each pass synced before the
/// commit returns (synchronous=FULL), the log kept between processes and read back by the next.
@Suite("Gate pass store")
struct GatePassStoreTests {
    private func pass(job: Int) -> GatePassStore.Pass {
        GatePassStore.Pass(gate: "g", server: "https://gitlab.example.com", jobID: job, pipelineID: 1, projectID: 2, approver: "alice", nonce: "00", at: 0)
    }

    @Test("a pass is synced at commit and seen by the next connection from the kept log; a second pass is refused")
    func durableAndKept() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ciauth-passes-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("passes.sqlite").path
        do {
            let store = try GatePassStore(path: path)
            #expect(try store.setting("synchronous") == 2, "FULL: a pass forgotten after a power loss would be a replay")
            #expect(try store.record(pass(job: 7), limit: 1) == 1)
        }
        let log = try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int ?? 0
        #expect(log > 0, "the log is kept on close, not checkpointed away")
        let next = try GatePassStore(path: path)
        #expect(throws: GateFailure(.alreadyPassed, "job 7 already passed this gate 1 time(s); the policy allows 1: approve and run a new job")) {
            try next.record(pass(job: 7), limit: 1)
        }
        #expect(try next.record(pass(job: 8), limit: 1) == 1)
    }

    @Test("a new store is private to the gate's user; one another account could write is refused, never used")
    func filesArePrivate() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ciauth-passes-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("store/passes.sqlite").path
        do { _ = try GatePassStore(path: path).record(pass(job: 1), limit: 1) }
        let mode = { (path: String) in (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1 }
        #expect(try mode(path) == 0o600)
        #expect(try mode(path + "-wal") == 0o600)
        #expect(try mode((path as NSString).deletingLastPathComponent) == 0o700)

        func refused(_ what: String) {
            _ = #expect(throws: GateFailure.self, "a pass store \(what) was used") { try GatePassStore(path: path) }
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o660], ofItemAtPath: path)
        refused("writable by its group")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o646], ofItemAtPath: path + "-wal")
        refused("whose log others can write")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path + "-wal")
        _ = try GatePassStore(path: path)

        let link = directory.appendingPathComponent("store/linked.sqlite").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        _ = #expect(throws: GateFailure.self, "a symbolic link was used") { try GatePassStore(path: link) }
        if geteuid() == 0, chown(path, 65534, 65534) == 0 { refused("owned by another user") }
    }

    @Test("the log stays short over many processes: a long one is checkpointed and emptied")
    func checkpointed() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ciauth-passes-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("passes.sqlite").path
        for job in 1...150 {
            let store = try GatePassStore(path: path)
            #expect(try store.record(pass(job: job), limit: 1) == 1)
        }
        let log = try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int ?? 0
        #expect(log < (GatePassStore.checkpointPages + 10) * (GatePassStore.pageBytes + 24), "\(log) bytes")
        let store = try GatePassStore(path: path)
        #expect(throws: GateFailure.self) { try store.record(pass(job: 1), limit: 1) }
    }
}
