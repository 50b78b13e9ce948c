/// The one error type of the VirtualKey module.
///
/// Protocol-level failures (bad CTAPHID frames, CTAP2 status codes) are *answers* sent to the
/// client, not thrown errors; this type covers setup and I/O problems of the key itself.
public enum VirtualKeyError: Error, Equatable, CustomStringConvertible {
    /// The socket path is longer than `sockaddr_un` allows.
    case socketPathTooLong(String)
    /// Something that is not a socket already exists at the path.
    case socketPathOccupied(String)
    /// A live socket is at the path: another key (or program) is serving it.
    case socketInUse(String)
    /// A POSIX call failed; carries the call name and errno.
    case system(call: String, errno: Int32)
    /// A configuration value is invalid (named field and reason).
    case invalidConfiguration(String)
    /// The persistent state file cannot be read or is malformed.
    case invalidStateFile(String)
    /// Malformed CBOR (reason).
    case invalidCBOR(String)

    public var description: String {
        switch self {
        case .socketPathTooLong(let path): "socket path too long (max 107 bytes): \(path)"
        case .socketPathOccupied(let path): "a non-socket file already exists at \(path)"
        case .socketInUse(let path): "another program is serving \(path) (a virtual key still running?): stop it, or choose another --socket"
        case .system(let call, let code): "\(call) failed: errno \(code)"
        case .invalidConfiguration(let reason): "invalid configuration: \(reason)"
        case .invalidStateFile(let reason): "invalid state file: \(reason)"
        case .invalidCBOR(let reason): "invalid CBOR: \(reason)"
        }
    }
}
