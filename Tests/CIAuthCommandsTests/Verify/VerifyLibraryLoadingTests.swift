import Foundation
import Testing

extension VerifyEndToEndTests {
    /// What every job pays at start: an accepted `ciauth verify`, watched by `LoaderAudit` in the
    /// job itself, loads neither libfido2 (and its libcrypto) nor SQLite.
    @Suite("ciauth verify: libraries loaded")
    struct VerifyLibraryLoadingTests {
        @Test("an accepted verify in a job loads neither libfido2, libcrypto nor SQLite")
        func acceptedVerifyLoadsNoOptionalLibrary() async throws {
            let world = try VerifyWorld.current
            let audit = try LoaderAudit()
            defer { audit.remove() }
            let variables = audit.environment().sorted { $0.key < $1.key }.map { "\($0.key)=\(VerifyWorld.shellQuoted($0.value))" }
            let pipeline = try await world.pipeline(scriptWrapper: { "env \(variables.joined(separator: " ")) \($0)" })
            let approval = try await world.alice.approve(try world.statement(for: pipeline))
            let job = try await world.play(pipeline.job.id, approval: approval)
            #expect(job.status == "success", "\(job.log)")
            #expect(job.log.contains("APPROVED by @alice"))
            let loaded = audit.loaded()
            #expect(!loaded.isEmpty, "the audit library logged nothing")
            #expect(!loaded.contains(where: LibraryLoadingTests.loadsOptionalLibrary), "\(loaded)")
        }
    }
}
