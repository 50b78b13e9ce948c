/// The one error type of the simulator library.
public enum SimError: Error, Equatable, CustomStringConvertible {
    /// The seed could not be read or is inconsistent (duplicate ids, unknown references).
    case invalidSeed(String)
    /// A fault rule, control request or state change was malformed.
    case invalidRequest(String)
    /// A job id, user id or other reference does not exist.
    case notFound(String)
    /// Waiting for a job ran past its deadline.
    case timedOut(String)
    /// The listening socket could not be set up.
    case bindFailed(String)

    public var description: String {
        switch self {
        case .invalidSeed(let why): "invalid seed: \(why)"
        case .invalidRequest(let why): "invalid request: \(why)"
        case .notFound(let what): "not found: \(what)"
        case .timedOut(let what): "timed out: \(what)"
        case .bindFailed(let why): "cannot listen: \(why)"
        }
    }
}
