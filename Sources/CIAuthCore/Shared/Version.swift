import CBuildInfo

/// The tool's version, shown by `ciauth --version` and recorded in audit records. The VERSION
/// file at the top of the repository is the one place it is set; a test keeps this equal to it.
public enum CIAuthVersion {
    public static let current = "0.2.0"

    /// The commit of a release build (`make install`, `make dist`); nil for development builds
    /// and builds from a tarball without git.
    public static let commit: String? = {
        let text = String(cString: ciauth_build_commit())
        return text.isEmpty ? nil : text
    }()

    /// What `--version` prints: `0.2.0 (1a2b3c4d5e6f)`, or `0.2.0` without a commit.
    public static var description: String {
        commit.map { "\(current) (\($0))" } ?? current
    }
}
