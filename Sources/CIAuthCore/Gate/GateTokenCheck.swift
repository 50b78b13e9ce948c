import Foundation
import GitLab
import _CryptoExtras

/// The signing keys for a token's `kid`, from the key cache or the pinned server
/// (`/oauth/discovery/keys`): never from a URL or key the token names.
struct GateTokenKeys {
    let policy: GatePolicy
    let client: GateClient
    /// The real clock, in Unix seconds: the cache's age.
    let now: Int64

    var cache: GateKeyCache {
        GateKeyCache(
            path: policy.keySetCachePath, server: policy.server, maximumAge: policy.keySetMaximumAge,
            refreshInterval: policy.keySetRefreshInterval)
    }

    /// The key named `kid`; the cache first while fresh, then one fetch when allowed.
    func key(_ kid: String) async throws(GateFailure) -> (key: _RSA.Signing.PublicKey, source: String) {
        let cached = cache.load()
        if let cached, cache.isFresh(cached, now: now) {
            if let key = (try? GateKeySet(jwks: Array(cached.jwks.utf8)))?.keys[kid] {
                return (key, "cached \(now - cached.fetchedAt) s ago")
            }
            guard cache.mayRefresh(cached, now: now) else {
                throw GateFailure(
                    .tokenKeyUnknown,
                    "key \(ApprovalStatement.quoted(kid)) is not in \(policy.server)'s key set, which was fetched "
                        + "\(now - cached.attemptedAt) s ago (refreshed at most every \(policy.keySetRefreshInterval) s)")
            }
        }
        let set = try await fetch(previous: cached)
        guard let key = set.keys[kid] else {
            throw GateFailure(.tokenKeyUnknown, "key \(ApprovalStatement.quoted(kid)) is not in \(policy.server)'s key set")
        }
        return (key, "fetched from \(policy.server)/oauth/discovery/keys")
    }

    private func fetch(previous: GateKeyCache.Contents?) async throws(GateFailure) -> GateKeySet {
        let body: [UInt8]
        do {
            body = try await client.get().idTokenKeySet()
        } catch let failure as GateFailure {
            throw failure
        } catch let error as GitLabError {
            if var previous {
                previous.attemptedAt = now
                cache.save(previous)
            }
            throw GateFailure(
                .keysUnreachable,
                "cannot read \(policy.server)/oauth/discovery/keys (\(error.code.rawValue)), and no key set younger than "
                    + "\(policy.keySetMaximumAge) s is cached: refusing")
        } catch {
            throw GateFailure(.keysUnreachable, "cannot read \(policy.server)/oauth/discovery/keys: \(error)")
        }
        let set = try GateKeySet(jwks: body)
        cache.save(GateKeyCache.Contents(server: policy.server, fetchedAt: now, attemptedAt: now, jwks: String(decoding: body, as: UTF8.self)))
        return set
    }
}

/// Step 1 of docs/gate.md: the token's signature, issuer, audience and time.
struct GateTokenCheck {
    let policy: GatePolicy
    /// The instant time rules are judged at, in Unix seconds.
    let now: Int64

    func verify(_ token: GateIDToken, keys: GateTokenKeys) async throws(GateFailure) -> GateClaims {
        let (key, _) = try await keys.key(token.keyID)
        guard token.signatureVerifies(with: key) else {
            throw GateFailure(.tokenSignatureInvalid, "the ID token's signature does not verify with key \(ApprovalStatement.quoted(token.keyID))")
        }
        return try check(GateClaims(token.claims))
    }

    /// Issuer, audience, time window and lifetime of verified claims.
    func check(_ claims: GateClaims) throws(GateFailure) -> GateClaims {
        guard claims.issuer == policy.issuer else {
            throw GateFailure(
                .tokenIssuerMismatch,
                "the ID token was issued by \(ApprovalStatement.quoted(String(claims.issuer.prefix(200)))), not \(policy.issuer)")
        }
        guard claims.audiences.contains(policy.audience) else {
            throw GateFailure(.tokenAudienceMismatch, "the ID token is not for audience \(ApprovalStatement.quoted(policy.audience))")
        }
        let skew = policy.clockSkew
        guard now < claims.expiresAt + skew else {
            throw GateFailure(.tokenExpired, "the ID token expired \(now - claims.expiresAt) s ago")
        }
        if let notBefore = claims.notBefore, now + skew < notBefore {
            throw GateFailure(.tokenNotYetValid, "the ID token is not valid for another \(notBefore - now) s")
        }
        guard claims.issuedAt <= now + skew else {
            throw GateFailure(.tokenNotYetValid, "the ID token is issued \(claims.issuedAt - now) s in the future")
        }
        guard claims.expiresAt > claims.issuedAt, claims.expiresAt - claims.issuedAt <= policy.maximumTokenLifetime else {
            throw GateFailure(
                .tokenLifetimeTooLong,
                "the ID token lives \(claims.expiresAt - claims.issuedAt) s; the policy allows at most \(policy.maximumTokenLifetime) s")
        }
        return claims
    }
}

/// Step 2 of docs/gate.md: the verified claims against the gate's policy. Returns report lines.
struct GateClaimRules {
    let policy: GatePolicy

    func check(_ claims: GateClaims) throws(GateFailure) -> [String] {
        var lines: [String] = []
        lines.append(try project(claims))
        if policy.requireProtectedRef, !claims.refProtected {
            throw GateFailure(.refNotProtected, "the job runs for \(claims.refPath), which is not protected")
        }
        guard let environment = claims.environment, policy.environments.contains(environment) else {
            throw GateFailure(
                .environmentNotAllowed,
                "the job deploys to " + (claims.environment.map(ApprovalStatement.quoted) ?? "no environment")
                    + "; this gate serves " + policy.environments.map(ApprovalStatement.quoted).joined(separator: ", "))
        }
        if policy.requireProtectedEnvironment, claims.environmentProtected != true {
            throw GateFailure(.environmentNotProtected, "the environment \(ApprovalStatement.quoted(environment)) is not protected")
        }
        lines.append(
            "ref: \(claims.refPath)" + (claims.refProtected ? " (protected)" : "") + "; environment \(environment)"
                + (claims.environmentProtected == true ? " (protected)" : ""))
        lines.append(try pipelineDefinition(claims))
        if let sources = policy.pipelineSources, !sources.contains(claims.pipelineSource) {
            throw GateFailure(
                .pipelineSourceNotAllowed, "the pipeline's source is \(ApprovalStatement.quoted(claims.pipelineSource)), not one of \(sources.joined(separator: ", "))")
        }
        return lines
    }

    private func project(_ claims: GateClaims) throws(GateFailure) -> String {
        guard claims.runningProjectID == policy.projectID, claims.runningProjectPath == policy.projectPath else {
            throw GateFailure(
                .projectNotAllowed,
                "the job runs in \(claims.runningProjectPath) (\(claims.runningProjectID)); this gate serves \(policy.projectPath) (\(policy.projectID))")
        }
        if claims.jobProjectID != nil || claims.jobProjectPath != nil, claims.projectID != claims.runningProjectID {
            guard policy.allowForkPipelines else {
                throw GateFailure(
                    .forkProjectRefused,
                    "the pipeline runs for a merge request from the fork \(claims.projectPath) (\(claims.projectID)); the policy refuses fork pipelines")
            }
        }
        return "project: \(policy.projectPath) (\(policy.projectID)), as pinned"
    }

    /// The pipeline definition's origin: listed patterns, or this project's `.gitlab-ci.yml` at the job's own ref.
    private func pipelineDefinition(_ claims: GateClaims) throws(GateFailure) -> String {
        guard let uri = claims.ciConfigRefURI else {
            throw GateFailure(.pipelineDefinitionNotAllowed, "the pipeline's configuration comes from another project (ci_config_ref_uri is null)")
        }
        let allowed = policy.ciConfigRefURIs ?? [defaultConfigURI(claims)]
        guard allowed.contains(where: { Self.matches(pattern: $0, uri) }) else {
            throw GateFailure(
                .pipelineDefinitionNotAllowed,
                "the pipeline is defined by \(ApprovalStatement.quoted(uri)), not by " + allowed.map(ApprovalStatement.quoted).joined(separator: ", "))
        }
        return "pipeline definition: \(uri)"
    }

    /// `host[:port][/relative]/group/project//.gitlab-ci.yml@refs/heads/REF`, as GitLab writes it.
    func defaultConfigURI(_ claims: GateClaims) -> String {
        let host = policy.server.split(separator: "://", maxSplits: 1).last.map(String.init) ?? policy.server
        return "\(host)/\(policy.projectPath)//.gitlab-ci.yml@\(claims.refPath)"
    }

    /// `*` matches any run of characters other than `/`; everything else matches itself.
    static func matches(pattern: String, _ text: String) -> Bool {
        fnmatch(pattern, text, FNM_PATHNAME) == 0
    }
}
