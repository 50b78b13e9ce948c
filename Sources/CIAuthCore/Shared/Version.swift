/// The tool's version, shown by `ciauth --version` and recorded in audit records. The VERSION
/// file at the top of the repository is the one place it is set; a test keeps this equal to it.
public enum CIAuthVersion {
    public static let current = "0.2.0"
}
