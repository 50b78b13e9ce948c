import Foundation
import GitLab
import Testing

/// `deploymentsNewestFirst`: one page per call, newest first, continued on demand and ended
/// with nil after the last page.
@Suite struct DeploymentPagesTests {
    @Test func pagesNewestFirstUntilTheEnd() async throws {
        let seed = Seeds.standard().replacingOccurrences(
            of: #"{"id": 100, "path_with_namespace": "acme/deployer","#,
            with: #"{"id": 100, "path_with_namespace": "acme/deployer", "stale_deployments": {"count": 250},"#)
        #expect(seed != Seeds.standard())
        try await withSimulator(seed: seed) { _, client in
            var ids: [Int] = []
            var page = try await client.deploymentsNewestFirst(of: .path("acme/deployer"))
            var numbers: [Int] = []
            while let current = page {
                numbers.append(current.number)
                ids += current.deployments.map(\.id)
                page = try await client.deploymentsNewestFirst(of: .path("acme/deployer"), after: current)
            }
            #expect(numbers == [1, 2, 3])
            #expect(ids.count >= 250)
            #expect(ids == ids.sorted(by: >), "newest (highest id) first")
            #expect(Set(ids).count == ids.count)
        }
    }
}
