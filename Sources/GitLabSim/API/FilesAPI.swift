import Crypto
import Foundation

/// The repository files API (lib/api/files.rb): a file as committed at a ref, as JSON with the
/// content in base64, or raw. The commits are the seeded pipelines' (`commit.files`); a ref is a
/// pipeline's full SHA or a branch name (its newest pipeline's commit).
enum FilesAPI {
    static let routes: [Route] = [
        Route("GET", "api/v4/projects/:id/repository/files/:file_path", auth: .optionalUser, handler: show),
        // The newest GitLab accepts a job token of the project on the raw file.
        Route("GET", "api/v4/projects/:id/repository/files/:file_path/raw", auth: .optionalUserOrJobToken, handler: raw),
    ]

    /// `ref` is required here (Grape: `{"error":"ref is missing"}`).
    static func show(_ context: APIContext) throws(APIError) -> SimResponse {
        let (file, content) = try read(context, refRequired: true)
        let bytes = Data(content.utf8)
        return .json(.object([
            ("file_name", .string(String(file.path.split(separator: "/").last ?? ""))),
            ("file_path", .string(file.path)),
            ("size", .int(bytes.count)),
            ("encoding", .string("base64")),
            ("content_sha256", .string(SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined())),
            ("ref", .string(file.ref)),
            ("blob_id", .string(blobID(bytes))),
            ("commit_id", .string(file.sha)),
            ("last_commit_id", .string(file.sha)),
            ("execute_filemode", .bool(false)),
            ("content", .string(bytes.base64EncodedString())),
        ]))
    }

    /// `ref` defaults to the default branch's head.
    static func raw(_ context: APIContext) throws(APIError) -> SimResponse {
        let (_, content) = try read(context, refRequired: false)
        return SimResponse(status: 200, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Data(content.utf8))
    }

    struct Located {
        let path: String
        let ref: String
        let sha: String
    }

    /// GitLab's order: the project (404), `read_code` (403: Reporter on private projects), the
    /// ref parameter (400), the commit (`404 Commit Not Found`), the file (`404 File Not Found`).
    private static func read(_ context: APIContext, refRequired: Bool) throws(APIError) -> (Located, String) {
        try context.store.withWorld { (world) throws(APIError) -> (Located, String) in
            let project = try ProjectsAPI.project(context, in: world)
            guard world.canReadCode(project: project, as: context.caller) else { throw .forbidden }
            let given = context.request.queryValue("ref").flatMap { $0.isEmpty ? nil : $0 }
            if given == nil, refRequired { throw .grape("ref is missing") }
            let ref = given ?? project.defaultBranch
            guard let pipeline = world.commitPipeline(ref: ref, inProject: project.id), !pipeline.commitMissing else {
                throw .notFound("Commit")
            }
            let path = context.path("file_path")
            guard let content = pipeline.commit.files[path] else { throw .notFound("File") }
            return (Located(path: path, ref: ref, sha: pipeline.sha), content)
        }
    }

    /// Git's object id of a blob: SHA-1 over `blob SIZE\0` and the bytes.
    private static func blobID(_ bytes: Data) -> String {
        Insecure.SHA1.hash(data: Data("blob \(bytes.count)\0".utf8) + bytes).map { String(format: "%02x", $0) }.joined()
    }
}

extension SimWorld {
    /// `read_code`: Reporter on private projects (guests do not see code), anyone who can see a
    /// public or internal one; a job token reads its own project.
    func canReadCode(project: ProjectRecord, as caller: Caller) -> Bool {
        canReadBuilds(project: project, as: caller)
    }

    /// The pipeline whose commit `ref` names: a full SHA (the lowest pipeline id carrying it), or a
    /// branch (its newest pipeline).
    func commitPipeline(ref: String, inProject projectID: Int) -> PipelineRecord? {
        let ofProject = pipelines.values.filter { $0.projectId == projectID }
        if let bySHA = ofProject.filter({ $0.sha == ref }).min(by: { $0.id < $1.id }) { return bySHA }
        return ofProject.filter { $0.ref == ref }.max { $0.id < $1.id }
    }
}
