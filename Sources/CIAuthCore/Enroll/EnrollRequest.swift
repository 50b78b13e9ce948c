import FIDO2
import Foundation

/// What `ciauth enroll` was asked to do.
public struct EnrollRequest: Sendable {
    public enum Source: Sendable, Equatable {
        /// Create a new credential on the security key.
        case create
        /// Adopt and register an existing OpenSSH sk private key file.
        case importFile(path: String)
    }

    public var source: Source
    public var algorithm: Algorithm
    public var resident: Bool
    /// Require user verification (PIN or built-in) at creation and on every approval.
    public var requirePIN: Bool
    /// The FIDO application (relying-party id), `ssh:ciauth` by default.
    public var application: String
    /// GitLab key title; default `ciauth <hostname> <date>`.
    public var title: String?
    /// Validity of the key on GitLab, in seconds from now; nil for no expiry.
    public var expiresInSeconds: Int64?
    public var touchTimeout: Duration
    /// PEM roots the attestation certificate must chain to; nil checks only the signature.
    public var attestationRoots: AttestationRoots?

    public static let defaultApplication = "ssh:ciauth"

    public init(
        source: Source = .create, algorithm: Algorithm = .es256, resident: Bool = false, requirePIN: Bool = false,
        application: String = EnrollRequest.defaultApplication, title: String? = nil, expiresInSeconds: Int64? = nil,
        touchTimeout: Duration = .seconds(30), attestationRoots: AttestationRoots? = nil
    ) {
        self.source = source
        self.algorithm = algorithm
        self.resident = resident
        self.requirePIN = requirePIN
        self.application = application
        self.title = title
        self.expiresInSeconds = expiresInSeconds
        self.touchTimeout = touchTimeout
        self.attestationRoots = attestationRoots
    }

    /// OpenSSH requires applications to start with `ssh:`; ciauth keeps that rule so every
    /// enrolled key is usable by `ssh-keygen -Y sign` too.
    public static func validate(application: String) throws(EnrollError) {
        guard application.hasPrefix("ssh:"), application.utf8.count <= 255,
            application.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        else {
            throw EnrollError(.invalidOption, "the application must start with \"ssh:\" and be printable ASCII without spaces (got \"\(application)\")")
        }
    }
}

/// What an enrollment produced (also the `--json` output).
public struct EnrollResult: Sendable, Encodable, Equatable {
    public var fingerprint: String
    public var keyType: String
    public var application: String
    public var publicKey: String
    /// GitLab's id of the key on the profile.
    public var gitlabKeyID: Int
    public var title: String
    public var file: String
    /// The authenticator's AAGUID (created credentials only).
    public var aaguid: String?
    /// The key's model as the device reports it, when known.
    public var model: String?
    /// How the attestation was checked (created credentials only).
    public var attestation: String?
    /// True when the key was already on the profile and was only adopted locally.
    public var alreadyRegistered: Bool
    public var expiresAt: String?
}
