import Foundation
import GitLabSim
import Testing

/// The generic package registry as lib/api/generic_packages.rb serves it: upload with a personal
/// token or a job token (Developer), download with `JOB-TOKEN`, the newest of duplicate uploads
/// served, GitLab's name rules and refusals.
@Suite struct GenericPackagesContractTests {
    static let file = "/api/v4/projects/acme%2Fplatform%2Fdeployer/packages/generic/ciauth/1.2.0/ciauth.tar.gz"

    static func upload(_ http: TestHTTP, _ path: String = file, body: String, headers: [(String, String)]) async throws -> HTTPResult {
        try await http.send("PUT", path, headers: headers, body: body)
    }

    @Test func aPersonalTokenUploadsAndTheNewestOfDuplicatesIsServed() async throws {
        try await withSimulator { _, http in
            let first = try await Self.upload(http, body: "first", headers: [("PRIVATE-TOKEN", "alice-token")])
            #expect(first.status == 201)
            #expect(first.text == #"{"message":"201 Created"}"#)
            let second = try await Self.upload(
                http, Self.file + "?select=package_file", body: "second", headers: [("PRIVATE-TOKEN", "alice-token")])
            #expect(second.status == 200)
            #expect(second.json?["file_name"]?.stringValue == "ciauth.tar.gz")
            #expect(second.json?["size"]?.intValue == 6)
            let download = try await http.get(Self.file, token: "alice-token")
            #expect(download.status == 200)
            #expect(download.text == "second")
            #expect(download.header("X-Checksum-SHA256") == "16367aacb67a4a017c8da8ab95682ccb390863780f7114dda0a0e0c55644c7c4")
            #expect(download.header("Content-Type") == "application/octet-stream")
            #expect(download.header("Content-Disposition")?.hasPrefix("attachment; filename=\"ciauth.tar.gz\"") == true)
        }
    }

    @Test func refusalsInGitLabsOrder() async throws {
        try await withSimulator { _, http in
            // Anonymous writes are 401 before anything else, even with invalid names.
            #expect(try await Self.upload(http, body: "x", headers: []).status == 401)
            let invalid = try await Self.upload(
                http, "/api/v4/projects/100/packages/generic/ci%2Fauth/1..2/a%20b", body: "x",
                headers: [("PRIVATE-TOKEN", "alice-token")])
            #expect(invalid.status == 400)
            #expect(invalid.message == "package_name is invalid, package_version is invalid, file_name is invalid")
            #expect(try await Self.upload(http, Self.file + "?status=secret", body: "x", headers: [("PRIVATE-TOKEN", "alice-token")])
                .message == "status does not have a valid value")
            // A read_api token cannot write; a Reporter cannot publish; a stranger does not see the project.
            #expect(try await Self.upload(http, body: "x", headers: [("PRIVATE-TOKEN", "alice-read")]).message == "insufficient_scope")
            #expect(try await Self.upload(http, body: "x", headers: [("PRIVATE-TOKEN", "carol-token")]).status == 403)
            let stranger = try await Self.upload(http, body: "x", headers: [("PRIVATE-TOKEN", "mallory-token")])
            #expect(stranger.status == 404)
            #expect(stranger.message == "404 Project Not Found")
            // Downloads: anonymous on a private project sees no project; unknown packages and files are 404.
            #expect(try await http.get(Self.file).message == "404 Project Not Found")
            #expect(try await http.get(Self.file, token: "carol-token").message == "404 Not found")
            #expect(try await Self.upload(http, body: "x", headers: [("PRIVATE-TOKEN", "bob-token")]).status == 201)
            #expect(try await http.get(Self.file, token: "carol-token").text == "x", "a Reporter reads packages")
            #expect(try await http.get(Self.file.replacingOccurrences(of: "ciauth.tar.gz", with: "other.tar.gz"), token: "carol-token")
                .message == "404 Not found")
        }
    }

    /// A running job uploads and downloads with its token; a job of another project only when
    /// this project's job token allowlist names that project; a finished job's token is dead.
    @Test func jobTokensOfTheProjectAndOfAllowlistedProjects() async throws {
        let script = """
            set -e
            url="$CI_API_V4_URL/projects/100/packages/generic/tool/2.0.0/tool.bin"
            printf 'payload' | curl -sS -f -X PUT -H "JOB-TOKEN: $CI_JOB_TOKEN" --data-binary @- "$url" -o /dev/null -w 'put %{http_code}\\n'
            curl -sS -H "JOB-TOKEN: $CI_JOB_TOKEN" "$url" -w ' get %{http_code}\\n'
            other="$CI_API_V4_URL/projects/101/packages/generic/tool/2.0.0/tool.bin"
            curl -sS -H "JOB-TOKEN: $CI_JOB_TOKEN" "$other" -w ' other %{http_code}\\n'
            """
        var seed = try TestSeeds.withJobs([TestSeeds.manualJob(8301, script: script)])
        try await withSimulator(seed) { simulator, http in
            #expect(try await http.post("/api/v4/projects/100/jobs/8301/play", token: "alice-token").status == 200)
            let job = try await simulator.waitForJob(id: 8301).log
            #expect(job.contains("put 201"), "\(job)")
            #expect(job.contains("payload get 200"), "\(job)")
            #expect(job.contains(#"{"message":"404 Project Not Found"} other 404"#), "\(job)")
            #expect(try await http.get("/api/v4/projects/100/packages/generic/tool/2.0.0/tool.bin", token: "alice-token").text == "payload")
        }
        // Project 101 allowlists project 100: the same job now reads 101's packages.
        guard let index = seed.projects.firstIndex(where: { $0.id == 101 }) else { Issue.record("no project 101"); return }
        seed.projects[index].ciJobTokenAllowlist = [100]
        try await withSimulator(seed) { simulator, http in
            let put = try await http.send(
                "PUT", "/api/v4/projects/101/packages/generic/tool/2.0.0/tool.bin", headers: [("PRIVATE-TOKEN", "root-token")], body: "from 101")
            #expect(put.status == 201)
            #expect(try await http.post("/api/v4/projects/100/jobs/8301/play", token: "alice-token").status == 200)
            let job = try await simulator.waitForJob(id: 8301).log
            #expect(job.contains("from 101 other 200"), "\(job)")
        }
    }
}
