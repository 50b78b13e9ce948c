/// What a gate's audit record adds to verify's (`ciauth-audit-v1`): which gate decided, the
/// verified claims of the ID token it trusted (the token itself is never recorded), and the
/// pass number when the job passed.
public struct GateAuditFacts: Codable, Hashable, Sendable {
    public var name: String
    public var audience: String
    public var issuer: String
    /// Empty when the token did not verify: unverified claims are not recorded.
    public var claims: [String: String]
    public var pass: Int?
}
