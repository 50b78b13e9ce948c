import Foundation

/// The simulator's own endpoints under `/-/sim/` (no auth: the simulator listens on loopback
/// only; no faults apply here). Bodies are JSON with snake_case keys, as in seeds.
///
/// GET    /-/sim/jobs                      all jobs (SimJobState)
/// GET    /-/sim/jobs/:id                  one job
/// POST   /-/sim/jobs/:id/wait?timeout=S   wait until the job finished (408 on timeout)
/// GET    /-/sim/users/:username/keys      keys with fingerprints
/// POST   /-/sim/users                     add a user (seed format)
/// PUT    /-/sim/users/:username/state     {"state": "blocked"}
/// POST   /-/sim/users/:username/keys      add a key (seed format, no expiry check)
/// DELETE /-/sim/keys/:id                  remove a key
/// POST   /-/sim/projects/:id/pipelines    add a pipeline with jobs (seed format)
/// PUT    /-/sim/projects/:id/settings     {"ci_pipeline_variables_minimum_override_role": "developer",
///                                         "restrict_user_defined_variables": true} (either or both)
/// PUT    /-/sim/projects/:id/members      {"user_id": 2, "access_level": 30} (0 removes)
/// PUT    /-/sim/groups/:id/members        same for a group
/// PUT    /-/sim/clock                     {"offset_seconds": -300}: the Date header's clock
/// GET    /-/sim/faults, POST /-/sim/faults (a fault rule), DELETE /-/sim/faults
/// GET    /-/sim/requests, DELETE /-/sim/requests   requests received (no credentials)
/// POST   /-/sim/id-tokens/rotate          a new ID-token signing key (the old one stays published)
struct ControlAPI: Sendable {
    let operations: SimOperations
    let requestLog: RequestLog

    func handle(_ request: SimRequest) async -> SimResponse {
        do {
            return try await dispatch(request, Array(request.segments.dropFirst(2)))
        } catch let error as SimError {
            switch error {
            case .notFound: return ControlAPI.error(404, error.description)
            case .timedOut: return ControlAPI.error(408, error.description)
            default: return ControlAPI.error(400, error.description)
            }
        } catch {
            return ControlAPI.error(400, "invalid request: \(error)")
        }
    }

    private func dispatch(_ request: SimRequest, _ path: [String]) async throws -> SimResponse {
        switch (request.method, path.count, path.first) {
        case ("GET", 1, "jobs"): return try ControlAPI.encode(operations.jobs())
        case ("GET", 2, "jobs"): return try ControlAPI.encode(operations.job(id: try int(path[1])) ?? { throw SimError.notFound("job \(path[1])") }())
        case ("POST", 3, "jobs") where path[2] == "wait":
            let seconds = Double(request.queryValue("timeout") ?? "30") ?? 30
            return try ControlAPI.encode(try await operations.waitForJob(id: try int(path[1]), timeout: .milliseconds(Int(seconds * 1000))))
        case ("GET", 3, "users") where path[2] == "keys": return try ControlAPI.encode(operations.keys(ofUser: path[1]))
        case ("POST", 1, "users"):
            try operations.addUser(try decode(SimSeed.User.self, request))
            return ControlAPI.done(201)
        case ("PUT", 3, "users") where path[2] == "state":
            try operations.setUserState(username: path[1], state: try decode(StateBody.self, request).state)
            return ControlAPI.done(200)
        case ("POST", 3, "users") where path[2] == "keys":
            let id = try operations.addKey(try decode(SimSeed.SSHKey.self, request), toUser: path[1])
            return .json(.object([("id", .int(id))]), status: 201)
        case ("DELETE", 2, "keys"):
            try operations.removeKey(id: try int(path[1]))
            return .noContent
        default:
            return try await dispatchMore(request, path)
        }
    }

    private func dispatchMore(_ request: SimRequest, _ path: [String]) async throws -> SimResponse {
        switch (request.method, path.count, path.first) {
        case ("POST", 3, "projects") where path[2] == "pipelines":
            try operations.addPipeline(try decode(SimSeed.Pipeline.self, request), toProject: try int(path[1]))
            return ControlAPI.done(201)
        case ("PUT", 3, "projects") where path[2] == "settings":
            let body = try decode(SettingsBody.self, request)
            let project = try int(path[1])
            if let role = body.ciPipelineVariablesMinimumOverrideRole { try operations.setOverrideRole(projectId: project, role: role) }
            if let restrict = body.restrictUserDefinedVariables {
                try operations.setRestrictUserDefinedVariables(projectId: project, restrict: restrict)
            }
            return ControlAPI.done(200)
        case ("PUT", 3, "projects") where path[2] == "members":
            let body = try decode(MemberBody.self, request)
            try operations.setMembership(projectId: try int(path[1]), userId: body.userId, accessLevel: body.accessLevel)
            return ControlAPI.done(200)
        case ("PUT", 3, "groups") where path[2] == "members":
            let body = try decode(MemberBody.self, request)
            try operations.setMembership(groupId: try int(path[1]), userId: body.userId, accessLevel: body.accessLevel)
            return ControlAPI.done(200)
        case ("PUT", 1, "clock"):
            try operations.setClockOffset(seconds: try decode(ClockBody.self, request).offsetSeconds)
            return ControlAPI.done(200)
        case ("GET", 1, "faults"): return try ControlAPI.encode(operations.faults())
        case ("POST", 1, "faults"):
            try operations.addFault(try decode(SimFaultRule.self, request))
            return ControlAPI.done(201)
        case ("DELETE", 1, "faults"):
            operations.clearFaults()
            return .noContent
        case ("POST", 2, "id-tokens") where path[1] == "rotate":
            try operations.rotateIDTokenKey()
            return ControlAPI.done(200)
        case ("GET", 1, "requests"): return try ControlAPI.encode(requestLog.all)
        case ("DELETE", 1, "requests"):
            requestLog.clear()
            return .noContent
        default:
            return ControlAPI.error(404, "no such control endpoint: \(request.method) \(request.rawPath)")
        }
    }

    private struct StateBody: Decodable { var state: SimSeed.UserState }
    private struct ClockBody: Decodable { var offsetSeconds: Double }
    private struct SettingsBody: Decodable {
        var ciPipelineVariablesMinimumOverrideRole: String?
        var restrictUserDefinedVariables: Bool?
    }
    private struct MemberBody: Decodable {
        var userId: Int
        var accessLevel: Int
    }

    private func decode<T: Decodable>(_ type: T.Type, _ request: SimRequest) throws -> T {
        do {
            return try SimSeed.decoder().decode(type, from: request.body)
        } catch {
            throw SimError.invalidRequest("body: \(error)")
        }
    }

    private func int(_ text: String) throws -> Int {
        guard let value = Int(text) else { throw SimError.invalidRequest("\(text) is not an id") }
        return value
    }

    static func encode<T: Encodable>(_ value: T) throws -> SimResponse {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return SimResponse(status: 200, headers: [("Content-Type", "application/json")], body: try encoder.encode(value))
    }

    static func done(_ status: Int) -> SimResponse { .json(.object([("ok", .bool(true))]), status: status) }

    static func error(_ status: Int, _ message: String) -> SimResponse {
        .json(.object([("error", .string(message))]), status: status)
    }
}
