/// Fixed limits of approval protocol v1 (docs/protocol.md). Changing one is a protocol change.
public enum ApprovalLimits {
    /// Largest statement, in bytes.
    public static let statementBytes = 16_384
    /// Largest SSHSIG signature blob carried in a transport value, in bytes.
    public static let signatureBytes = 2_048
    /// Largest transport value (the CI variable), in bytes (all ASCII).
    public static let transportBytes = 32_768
    /// Jobs one statement may approve.
    public static let jobs = 100
    /// Longest allowed validity period (expires-at minus issued-at), in seconds: 7 days.
    public static let validitySeconds: Int64 = 7 * 24 * 3600
    /// Longest server URL, project path, job name, ref, environment, username (bytes).
    public static let serverURLBytes = 255
    public static let projectPathBytes = 1_024
    public static let projectPathSegments = 21
    public static let jobNameBytes = 255
    public static let refBytes = 1_024
    public static let environmentBytes = 255
    public static let usernameBytes = 255
    /// Longest reason: 200 Unicode scalars and at most 512 bytes of UTF-8.
    public static let reasonScalars = 200
    public static let reasonBytes = 512
    /// Bytes of randomness in a nonce (written as twice as many lower-case hex digits).
    public static let nonceBytes = 16
}
