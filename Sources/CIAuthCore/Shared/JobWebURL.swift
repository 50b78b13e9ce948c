/// A job's `web_url` is `SERVER/PATH/-/jobs/ID`: the one place GitLab's job answer spells the
/// project's full path. Approve builds statements from it and verify compares them with it, so
/// both read it with this one strict rule.
enum JobWebURL {
    /// `PATH`, when the URL has exactly that shape under `server` and `PATH` is a valid statement
    /// project path; nil otherwise.
    static func projectPath(of webURL: String, jobID: Int, server: String) -> String? {
        guard let canonical = try? ApprovalStatement.canonicalServerURL(server) else { return nil }
        // Compared byte for byte: no Unicode equivalence, no case folding.
        let url = Array(webURL.utf8)
        let head = Array((canonical + "/").utf8)
        let tail = Array("/-/jobs/\(jobID)".utf8)
        guard url.count > head.count + tail.count, url.starts(with: head), Array(url.suffix(tail.count)) == tail else { return nil }
        let path = String(decoding: url[head.count..<(url.count - tail.count)], as: UTF8.self)
        guard (try? ApprovalFieldRules.projectPath(path)) != nil, !path.split(separator: "/").contains("-") else { return nil }
        return path
    }
}
