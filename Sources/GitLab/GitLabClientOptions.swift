/// Tunables of a `GitLabClient`. Defaults suit an interactive command; tests shorten the waits.
public struct GitLabClientOptions: Sendable {
    /// Time to establish a TCP (and TLS) connection.
    public var connectTimeout: Duration
    /// Time for one whole attempt of one request, response body included.
    public var requestTimeout: Duration
    public var retry: RetryPolicy
    /// Most pages one listing may fetch; more fails with `paginationLimitExceeded` instead of
    /// silently returning a truncated list.
    public var maxPages: Int
    /// `per_page` sent with listings (GitLab's maximum is 100).
    public var perPage: Int
    /// Largest response body accepted.
    public var maxResponseBytes: Int
    /// PEM file of extra CA certificates, added to the system trust roots.
    public var caFile: String?
    /// An HTTP CONNECT proxy for https servers; TLS runs through it to the server and checks the
    /// server URL's host.
    public var proxy: ProxySettings?
    /// How this command takes a private CA, for the hint of a TLS failure.
    public var caFileHint = "pass --ca-file"
    /// Check the certificate against the server URL's host with ciauth's own check on direct
    /// connections too, not only through a proxy: async-http-client's TLS also accepts a
    /// certificate for the address the name resolved to. One connection per request.
    public var checksServerIdentity = false

    public init(
        connectTimeout: Duration = .seconds(10), requestTimeout: Duration = .seconds(30),
        retry: RetryPolicy = RetryPolicy(), maxPages: Int = 500, perPage: Int = 100,
        maxResponseBytes: Int = 16 << 20, caFile: String? = nil, proxy: ProxySettings? = nil
    ) {
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.retry = retry
        self.maxPages = maxPages
        self.perPage = perPage
        self.maxResponseBytes = maxResponseBytes
        self.caFile = caFile
        self.proxy = proxy
    }

    /// For commands run by a person: the proxy from `HTTPS_PROXY`/`NO_PROXY` and the CA file
    /// from the flag, else `SSL_CERT_FILE`.
    public static func fromEnvironment(
        _ environment: [String: String], caFileFlag: String? = nil
    ) throws(GitLabError) -> GitLabClientOptions {
        var options = GitLabClientOptions()
        options.proxy = try ProxySettings.fromEnvironment(environment)
        let envCA = environment["SSL_CERT_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        options.caFile = caFileFlag ?? envCA
        options.caFileHint = "pass --ca-file or set SSL_CERT_FILE"
        return options
    }

    /// For `ciauth verify`: only values written in the pipeline definition, never the job's
    /// environment, where a variable could name an intercepting proxy or the attacker's CA; and
    /// the server's name checked by ciauth on every connection.
    public static func pinned(caFile: String?, proxy: String?) throws(GitLabError) -> GitLabClientOptions {
        // A relative path names a file of the build directory, which an earlier job or a reused
        // directory can replace before anything is verified: it would choose whom TLS trusts.
        if let caFile, !caFile.hasPrefix("/") {
            throw GitLabError(
                .invalidCAFile,
                hint: "--ca-file \(caFile) is relative: give the absolute path of a file in the job's image (a file of the "
                    + "build directory could have been replaced before verify runs)")
        }
        var options = GitLabClientOptions()
        options.caFile = caFile
        options.proxy = try proxy.map { url throws(GitLabError) in try ProxySettings.parse(url, noProxy: [], source: "--proxy") }
        // Name resolution is steered by variables too (LOCALDOMAIN, RES_OPTIONS, HOSTALIASES).
        options.checksServerIdentity = true
        return options
    }
}
