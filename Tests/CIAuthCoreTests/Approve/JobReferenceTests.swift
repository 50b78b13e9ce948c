@testable import CIAuthCore
import Testing

@Suite struct JobReferenceTests {
    @Test func bareNumberIsAJobByDefault() throws {
        #expect(try JobReference.parse("4711") == JobReference(kind: .job, id: 4711))
        #expect(try JobReference.parse("120", bareNumberKind: .pipeline) == JobReference(kind: .pipeline, id: 120))
    }

    @Test func jobURLNamesServerProjectAndJob() throws {
        let ref = try JobReference.parse("https://gitlab.example.com/acme/platform/api/-/jobs/4711")
        #expect(ref == JobReference(kind: .job, id: 4711, projectPath: "acme/platform/api", server: "https://gitlab.example.com"))
    }

    @Test func pipelineURLWithQueryAndTrailingSlash() throws {
        let ref = try JobReference.parse("http://127.0.0.1:8080/acme/api/-/pipelines/12/?tab=jobs")
        #expect(ref == JobReference(kind: .pipeline, id: 12, projectPath: "acme/api", server: "http://127.0.0.1:8080"))
    }

    @Test func knownServerPrefixIsNotPartOfTheProject() throws {
        let ref = try JobReference.parse(
            "https://example.com/gitlab/acme/api/-/jobs/9", knownServer: "https://example.com/gitlab/")
        #expect(ref.projectPath == "acme/api")
        #expect(ref.server == "https://example.com/gitlab")
    }

    @Test(arguments: ["", "0", "012", "-5", "+5", "4711x", "99999999999999999999", "job", "ftp://h/a/b/-/jobs/1"])
    func rejectsWhatIsNotAnId(_ text: String) {
        #expect(throws: JobReferenceError.unrecognised(text)) { try JobReference.parse(text) }
    }

    @Test(arguments: [
        "https://h/acme/api/-/jobs/",
        "https://h/acme/api/-/jobs/01",
        "https://h/acme/api/-/merge_requests/4",
        "https://h/acme/api",
        "https://h/-/jobs/4",
        "https://h/acme//api/-/jobs/4",
        "https://h/acme/api/-/jobs/4/raw",
    ])
    func rejectsOtherGitLabURLs(_ text: String) {
        #expect(throws: JobReferenceError.notAJobOrPipelineURL(text)) { try JobReference.parse(text) }
    }
}

@Suite struct GitRemoteTests {
    @Test(arguments: [
        ("git@gitlab.example.com:acme/api.git", "gitlab.example.com", "acme/api"),
        ("ssh://git@gitlab.example.com:2222/acme/sub/api.git", "gitlab.example.com", "acme/sub/api"),
        ("https://gitlab.example.com/acme/api", "gitlab.example.com", "acme/api"),
        ("https://user@GitLab.Example.com/acme/api.git/", "gitlab.example.com", "acme/api"),
    ])
    func parsesGitLabRemotes(_ url: String, _ host: String, _ path: String) {
        #expect(GitRemote(url: url) == GitRemote(host: host, projectPath: path))
    }

    @Test func stripsTheServerPathPrefix() {
        #expect(GitRemote(url: "https://example.com/gitlab/acme/api.git", serverPathPrefix: "/gitlab")?.projectPath == "acme/api")
    }

    @Test(arguments: ["/srv/git/api.git", "file:///srv/api.git", "git@host:api.git", "https://host/acme/../api", ""])
    func rejectsNonGitLabRemotes(_ url: String) {
        #expect(GitRemote(url: url) == nil)
    }
}
