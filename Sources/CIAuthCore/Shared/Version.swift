/// The tool's version, shown by `ciauth --version` and recorded in audit records.
public enum CIAuthVersion {
    public static let current = "0.1.0"
}
