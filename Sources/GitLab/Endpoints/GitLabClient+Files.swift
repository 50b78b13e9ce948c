extension GitLabClient {
    /// A file's bytes as committed at `ref` (`GET /projects/:id/repository/files/:file_path/raw?ref=`);
    /// nil when the commit has no such file. GitLab answers `404 File Not Found` for a missing file,
    /// and `404 Commit Not Found` or `404 Project Not Found` for a ref or project it cannot show:
    /// only the first means "absent", the others stay errors.
    public func repositoryFile(_ path: String, ref: String, in project: ProjectReference) async throws(GitLabError) -> [UInt8]? {
        let project = try project.validated()
        guard !path.isEmpty, !ref.isEmpty else { throw GitLabError(.invalidArgument, hint: "a file path and a ref are needed") }
        let request = GitLabRequest(
            method: .GET, path: "/projects/\(project.pathSegment)/repository/files/\(PercentEncoding.encode(path))/raw",
            query: [("ref", ref)], resource: "\(path) at \(ref) in \(project)")
        do {
            return try await send(request).body
        } catch where error.code == .notFound && error.serverMessage == "404 File Not Found" {
            return nil
        }
    }
}
