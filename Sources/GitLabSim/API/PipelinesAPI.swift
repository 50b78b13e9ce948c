import Foundation

/// `GET /projects/:id/pipelines/:pipeline_id`: one pipeline with its creator (`user`).
/// Job tokens are accepted for their own project, as the newest GitLab does (lib/api/ci/pipelines.rb).
enum PipelinesAPI {
    static let routes: [Route] = [
        Route("GET", "api/v4/projects/:id/pipelines/:pipeline_id", auth: .optionalUserOrJobToken, handler: show),
    ]

    /// The project must be visible (404), the pipeline must exist in it (`find` raises
    /// RecordNotFound: `404 Not found`), then `read_pipeline` is authorized (403).
    static func show(_ context: APIContext) throws(APIError) -> SimResponse {
        try context.store.withWorld { (world) throws(APIError) -> SimResponse in
            let project = try ProjectsAPI.project(context, in: world)
            guard let id = Int(context.path("pipeline_id")) else { throw .grape("pipeline_id is invalid") }
            guard let pipeline = world.pipelines[id], pipeline.projectId == project.id else {
                throw .message(404, "404 Not found")
            }
            guard world.canReadBuilds(project: project, as: context.caller) else { throw .forbidden }
            return .json(Entities.pipeline(pipeline, in: world))
        }
    }
}
