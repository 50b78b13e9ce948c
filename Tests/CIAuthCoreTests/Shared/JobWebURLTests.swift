import Testing

@testable import CIAuthCore

/// The project path read from a job's web URL, by approve and by verify.
@Suite struct JobWebURLTests {
    @Test("the project path comes from SERVER/PATH/-/jobs/ID, path prefix and all")
    func projectPathFromJobURL() {
        let server = "https://gitlab.example.com"
        #expect(JobWebURL.projectPath(of: "https://gitlab.example.com/acme/web/-/jobs/9001", jobID: 9001, server: server) == "acme/web")
        #expect(JobWebURL.projectPath(of: "https://gitlab.example.com/a/b.c/d_e/-/jobs/1", jobID: 1, server: server + "/") == "a/b.c/d_e")
        #expect(JobWebURL.projectPath(of: "https://gitlab.example.com/acme/web/-/jobs/5", jobID: 5, server: "https://GitLab.example.com:443") == "acme/web")
        #expect(
            JobWebURL.projectPath(of: "https://host.example/gitlab/acme/web/-/jobs/5", jobID: 5, server: "https://host.example/gitlab") == "acme/web")
    }

    @Test(
        "a job URL of another shape gives no path (GitLab is asked instead)",
        arguments: [
            "https://gitlab.example.com/acme/web/-/jobs/9002",  // another job
            "https://other.example.com/acme/web/-/jobs/9001",  // another server
            "http://gitlab.example.com/acme/web/-/jobs/9001",  // another scheme
            "https://gitlab.example.com.evil/acme/web/-/jobs/9001",
            "https://gitlab.example.com/gitlab/-/jobs/9001",  // one segment
            "https://gitlab.example.com/-/jobs/9001",
            "https://gitlab.example.com/acme/-/web/-/jobs/9001",  // a "-" segment
            "https://gitlab.example.com/acme//web/-/jobs/9001",
            "https://gitlab.example.com/acme/w%20b/-/jobs/9001",
            "https://gitlab.example.com/acme/wéb/-/jobs/9001",
            "https://gitlab.example.com/acme/web/-/jobs/9001/",
            "https://gitlab.example.com/acme/web/-/jobs/9001?x=1",
            "https://gitlab.example.com/acme/web/-/pipelines/9001",
            "",
        ])
    func unusableJobURL(_ url: String) {
        #expect(JobWebURL.projectPath(of: url, jobID: 9001, server: "https://gitlab.example.com") == nil)
    }
}
