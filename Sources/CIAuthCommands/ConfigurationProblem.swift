/// A setting read from the environment that cannot be used (`CIAUTH_DEVICE`): exit status 78,
/// like a broken configuration file, since the command line itself is fine.
struct ConfigurationProblem: Error, CustomStringConvertible {
    let message: String
    let fix: String

    init(_ message: String, fix: String) {
        self.message = message
        self.fix = fix
    }

    var description: String { "\(message); \(fix)" }
}
