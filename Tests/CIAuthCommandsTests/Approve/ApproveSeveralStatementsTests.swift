import Foundation
import Testing

/// Above 100 jobs an approval takes several statements, one touch each: each touch is numbered.
@Suite struct ApproveSeveralStatementsTests {
    @Test("101 jobs: two statements, and the touch prompts say 1 of 2 and 2 of 2")
    func touchesAreNumbered() async throws {
        try await ApproveWorld.with(manualJobs: 101) { world in
            try #require(try await world.enroll().status == 0)
            let url = "\(world.sim.baseURL)/acme/web/-/pipelines/600"
            let result = try await world.ciauth(["approve", url, "--all-manual", "--yes", "--sign-only", "--environment", "none"] + world.serverArguments)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.split(separator: "\n").count == 2, "two approvals")
            let first = try #require(result.stderr.range(of: "Approval 1 of 2 (100 jobs):"), "\(result.stderr)")
            let second = try #require(result.stderr.range(of: "Approval 2 of 2 (1 job):"), "\(result.stderr)")
            #expect(first.upperBound < second.lowerBound)
            // Each numbered line comes before its own touch prompt.
            let afterFirst = result.stderr[first.upperBound..<second.lowerBound]
            #expect(afterFirst.contains("Touch your security key"))
            #expect(result.stderr[second.upperBound...].contains("Touch your security key"))
        }
    }
}
