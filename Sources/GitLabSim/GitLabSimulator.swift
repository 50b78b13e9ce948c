import Foundation
import Logging
import NIOCore
import NIOPosix

/// A GitLab REST simulator with an embedded runner, listening on loopback.
///
/// ```swift
/// let sim = try await GitLabSimulator.start(seed: seed, logger: logger)
/// let url = sim.baseURL                  // "http://127.0.0.1:PORT"
/// // ... requests, sim.waitForJob(id:), sim.setFault(route:fault:count:) ...
/// try await sim.shutdown()               // on every path, errors included
/// ```
public final class GitLabSimulator: Sendable {
    public let baseURL: String
    public let port: Int

    private let group: MultiThreadedEventLoopGroup
    private let serving: Task<Void, Never>
    private let listener: Channel
    private let runner: JobRunner
    private let operations: SimOperations
    private let requestLog: RequestLog
    private let scratch: URL

    private init(
        baseURL: String, port: Int, group: MultiThreadedEventLoopGroup, serving: Task<Void, Never>,
        listener: Channel, runner: JobRunner, operations: SimOperations, requestLog: RequestLog, scratch: URL
    ) {
        self.baseURL = baseURL
        self.port = port
        self.group = group
        self.serving = serving
        self.listener = listener
        self.runner = runner
        self.operations = operations
        self.requestLog = requestLog
        self.scratch = scratch
    }

    /// Starts a simulator. Only loopback hosts are accepted; port 0 lets the OS choose.
    public static func start(
        seed: SimSeed, host: String = "127.0.0.1", port: Int = 0,
        logger: Logger = Logger(label: "gitlab-sim", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws -> GitLabSimulator {
        guard ["127.0.0.1", "::1", "localhost"].contains(host) else {
            throw SimError.bindFailed("\(host) is not a loopback address")
        }
        // The seed is checked before anything listens: nothing is left to shut down when it is
        // refused. Seeding never uses the URL; the bound port is filled in below.
        let urlHost = host == "::1" ? "[::1]" : host
        var world = try SimWorld(seed: seed, baseURL: "http://\(urlHost):\(port)")
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let listener: NIOAsyncChannel<HTTPServer.Connection, Never>
        do {
            listener = try await HTTPServer.bind(host: host, port: port, group: group)
        } catch {
            try? await group.shutdownGracefully()
            throw SimError.bindFailed("\(host):\(port): \(error)")
        }
        let boundPort = listener.channel.localAddress?.port ?? port
        let baseURL = "http://\(urlHost):\(boundPort)"
        world.baseURL = baseURL
        let store = SimStore(world: world)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("gitlab-sim-\(UUID().uuidString)")
        let runner = JobRunner(store: store, scratch: scratch, logger: logger)
        let operations = SimOperations(store: store)
        let requestLog = RequestLog()
        let pipeline = RequestPipeline(
            router: Router(routes: APIRoutes.all, store: store, runner: runner),
            control: ControlAPI(operations: operations, requestLog: requestLog),
            store: store, requestLog: requestLog, logger: logger
        )
        let server = HTTPServer(respond: { await pipeline.process($0) }, logger: logger)
        let serving = Task { await server.serve(listener) }
        logger.info("listening", metadata: ["url": "\(baseURL)"])
        return GitLabSimulator(
            baseURL: baseURL, port: boundPort, group: group, serving: serving, listener: listener.channel,
            runner: runner, operations: operations, requestLog: requestLog, scratch: scratch
        )
    }

    /// Stops listening, kills running job scripts, closes connections, removes scratch dirs.
    public func shutdown() async throws {
        runner.terminateAll()
        try? await listener.close()
        // Cancelling ends every connection's read loop; the loop must outlive them.
        serving.cancel()
        await serving.value
        try await group.shutdownGracefully()
        let deadline = ContinuousClock.now + .seconds(5)
        while runner.runningCount > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        try? FileManager.default.removeItem(at: scratch)
    }

    // MARK: Faults

    /// Applies `fault` to requests matching `route`, for the first `count` of them (nil: all).
    /// Rules are tried in the order they were added; the first with hits left applies.
    public func setFault(route: SimRoute, fault: SimFault, count: Int? = nil) throws {
        try operations.addFault(SimFaultRule(route: route, fault: fault, count: count))
    }

    public func clearFaults() { operations.clearFaults() }

    /// Rules in force, with their remaining counts.
    public var faults: [SimFaultRule] { operations.faults() }

    // MARK: Inspection

    public func job(id: Int) -> SimJobState? { operations.job(id: id) }

    public func jobs() -> [SimJobState] { operations.jobs() }

    /// Waits until the job finished and returns it; throws `SimError.timedOut` past `timeout`.
    public func waitForJob(id: Int, timeout: Duration = .seconds(30)) async throws -> SimJobState {
        try await operations.waitForJob(id: id, timeout: timeout)
    }

    public func keys(ofUser username: String) throws -> [SimKeyState] { try operations.keys(ofUser: username) }

    /// Requests received so far (API only, not control endpoints), oldest first.
    public var requests: [SimRequestRecord] { requestLog.all }

    public func clearRequests() { requestLog.clear() }

    // MARK: Changes at run time

    public func addUser(_ user: SimSeed.User) throws { try operations.addUser(user) }

    public func setUserState(username: String, state: SimSeed.UserState) throws {
        try operations.setUserState(username: username, state: state)
    }

    public func renameUser(_ username: String, to newName: String) throws { try operations.renameUser(username, to: newName) }

    /// Adds a key as a seed would (it may be expired or old); returns its id.
    @discardableResult
    public func addKey(_ key: SimSeed.SSHKey, toUser username: String) throws -> Int {
        try operations.addKey(key, toUser: username)
    }

    public func removeKey(id: Int) throws { try operations.removeKey(id: id) }

    /// Rotates the ID-token signing key: a new current key; the old one stays published.
    public func rotateIDTokenKey() throws { try operations.rotateIDTokenKey() }

    /// The ID token the job's script would get in `variable` if it started now.
    public func idToken(job: Int, variable: String) -> String? { operations.idToken(job: job, variable: variable) }

    public func addPipeline(_ pipeline: SimSeed.Pipeline, toProject projectId: Int) throws {
        try operations.addPipeline(pipeline, toProject: projectId)
    }

    public func setPipelineVariablesMinimumOverrideRole(projectId: Int, role: String) throws {
        try operations.setOverrideRole(projectId: projectId, role: role)
    }

    /// Whether the project's minimum role gates pipeline variables (false: anyone who may play may pass them).
    public func setRestrictUserDefinedVariables(projectId: Int, restrict: Bool) throws {
        try operations.setRestrictUserDefinedVariables(projectId: projectId, restrict: restrict)
    }

    /// Sets the server's clock (its `Date` header) `seconds` ahead of real time (negative: behind).
    public func setClockOffset(seconds: Double) throws { try operations.setClockOffset(seconds: seconds) }

    /// Sets a direct project or group membership; access level 0 removes it.
    public func setMembership(projectId: Int? = nil, groupId: Int? = nil, userId: Int, accessLevel: Int) throws {
        try operations.setMembership(projectId: projectId, groupId: groupId, userId: userId, accessLevel: accessLevel)
    }
}

/// Every `/api/v4` route.
enum APIRoutes {
    static let all: [Route] = UsersAPI.routes + KeysAPI.routes + AdminKeysAPI.routes + ProjectsAPI.routes + JobsAPI.routes
        + PipelinesAPI.routes + RetryAPI.routes
        + MembersAPI.routes + DeploymentsAPI.routes
        + TokensAPI.routes + IDTokensAPI.routes + GenericPackagesAPI.routes + FilesAPI.routes
}
