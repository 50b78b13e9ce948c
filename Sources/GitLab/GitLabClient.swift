import AsyncHTTPClient
import Logging
import NIOCore
import NIOSSL

/// A typed client for GitLab's REST API (`/api/v4`).
///
/// One instance owns one pooled `HTTPClient`: create it once, reuse it for every request, and
/// call `shutdown()` when done. TLS verification is always on; redirects are never followed.
public final class GitLabClient: Sendable {
    public let server: GitLabServer
    let credentials: GitLabCredentials
    let options: GitLabClientOptions
    let logger: Logger
    let http: HTTPClient

    /// - Parameter logger: receives one debug line per request (method, path, status, timing)
    ///   with secrets redacted; quiet unless its level is `.debug` or lower.
    public init(
        server: GitLabServer, credentials: GitLabCredentials, options: GitLabClientOptions = GitLabClientOptions(),
        logger: Logger = Logger(label: "ciauth.gitlab", factory: { _ in SwiftLogNoOpLogHandler() })
    ) throws(GitLabError) {
        guard options.perPage >= 1, options.perPage <= 100, options.maxPages >= 1 else {
            throw GitLabError(.invalidArgument, hint: "per-page must be 1…100 and the page cap at least 1")
        }
        self.server = server
        self.credentials = credentials
        self.options = options
        self.logger = logger
        let configuration = try Self.httpConfiguration(server: server, options: options)
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Whether the client holds a user's token (personal, project, group or OAuth), which reads
    /// users and keys where GitLab refuses anonymous visitors. A job token does not count: GitLab
    /// ignores it on the Users API.
    public var hasUserToken: Bool {
        switch credentials {
        case .accessToken, .oauth: true
        case .anonymous, .jobToken: false
        }
    }

    /// Closes pooled connections. The client cannot be used afterwards.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    private static func httpConfiguration(
        server: GitLabServer, options: GitLabClientOptions
    ) throws(GitLabError) -> HTTPClient.Configuration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .fullVerification
        if let caFile = options.caFile {
            tls.additionalTrustRoots = [.certificates(try loadCertificates(caFile))]
        }
        var proxy: HTTPClient.Configuration.Proxy?
        if let settings = options.proxy, settings.applies(to: server) {
            let authorization = settings.credentials.map {
                HTTPClient.Authorization.basic(username: $0.user, password: $0.password)
            }
            proxy = .server(host: settings.host, port: settings.port, authorization: authorization)
        }
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls,
            redirectConfiguration: .disallow,
            timeout: .init(connect: options.connectTimeout.timeAmount, read: options.requestTimeout.timeAmount),
            proxy: proxy,
            decompression: .disabled)
        // Our own retry loop decides; a refused connection should fail fast.
        configuration.connectionPool.retryConnectionEstablishment = false
        return configuration
    }

    private static func loadCertificates(_ path: String) throws(GitLabError) -> [NIOSSLCertificate] {
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(path)
        } catch {
            throw GitLabError(.invalidCAFile, hint: "cannot read PEM certificates from the CA file \(path)")
        }
        guard !certificates.isEmpty else {
            throw GitLabError(.invalidCAFile, hint: "the CA file \(path) contains no PEM certificate")
        }
        return certificates
    }
}

extension Duration {
    var timeAmount: TimeAmount {
        let (seconds, attoseconds) = components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
