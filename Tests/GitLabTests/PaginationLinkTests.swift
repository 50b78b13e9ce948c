import NIOHTTP1
import Testing

@testable import GitLab

/// Which next page a listing follows, from headers alone.
@Suite struct PaginationLinkTests {
    func next(_ headers: [(String, String)], count: Int = 1) async throws -> Result<String?, GitLabError> {
        let client = try GitLabClient(server: try GitLabServer("https://gitlab.example.com/gl"), credentials: .accessToken("t"))
        let request = GitLabRequest(method: .GET, path: "/groups/acme/members/all", query: [("per_page", "100")], resource: "group acme")
        let response = GitLabResponse(status: 200, headers: HTTPHeaders(headers), body: [])
        let result: Result<String?, GitLabError>
        do {
            result = .success(try client.nextPageURL(response, request: request, fetched: nil, itemCount: count))
        } catch {
            result = .failure(error)
        }
        try await client.shutdown()
        return result
    }

    @Test func followsLinkOnTheServer() async throws {
        let link = "<https://gitlab.example.com/gl/api/v4/groups/acme/members/all?page=2&per_page=100>; rel=\"next\""
        #expect(try await next([("Link", link), ("X-Next-Page", "2")]).get() == "https://gitlab.example.com/gl/api/v4/groups/acme/members/all?page=2&per_page=100")
    }

    @Test func foreignLinkFallsBackToPageNumber() async throws {
        let link = "<http://internal-host/gl/api/v4/groups/acme/members/all?page=2>; rel=\"next\""
        #expect(try await next([("Link", link), ("X-Next-Page", "2")]).get() == "https://gitlab.example.com/gl/api/v4/groups/acme/members/all?per_page=100&page=2")
        guard case .failure(let error) = try await next([("Link", link)]) else {
            Issue.record("followed a foreign link")
            return
        }
        #expect(error.code == .malformedResponse)
    }

    @Test func lastPageAndBadHeaders() async throws {
        #expect(try await next([("X-Next-Page", "")]).get() == nil)
        #expect(try await next([]).get() == nil)
        guard case .failure(let error) = try await next([("X-Next-Page", "2; drop")]) else {
            Issue.record("accepted a bad X-Next-Page")
            return
        }
        #expect(error.code == .malformedResponse)
    }

    @Test func aFullPageWithoutPaginationHeadersIsNotTakenAsTheEnd() async throws {
        #expect(try await next([("X-Next-Page", "")], count: 100).get() == nil)
        #expect(try await next([], count: 99).get() == nil)
        guard case .failure(let error) = try await next([], count: 100) else {
            Issue.record("a full page without headers passed as the last page")
            return
        }
        #expect(error.code == .malformedResponse)
        #expect(error.hint?.contains("may be incomplete") == true)
    }
}
