/// Why an enrollment or the credential store failed; each case names what to do next.
public struct EnrollError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Equatable {
        /// The key file could not be written or read.
        case storeFailed
        /// The public key is already on the user's GitLab profile and in the local store.
        case alreadyEnrolled
        /// The public key is already on the profile (a fresh credential collided, or no adoption wanted).
        case alreadyRegistered
        /// `--import`: the file cannot be read or is not an OpenSSH sk private key.
        case importUnreadable
        /// `--import`: the file is passphrase-protected.
        case importEncrypted
        /// An option value is unusable (application, expiry, title).
        case invalidOption
        /// GitLab's answer to adding the key was lost and the profile does not show it (yet): the
        /// credential is kept so that `enroll --import` can finish without a second key.
        case registrationUnknown
        /// The key returned something ciauth cannot turn into an OpenSSH key.
        case unusableCredential
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
