/// The one error type of the FIDO2 module.
///
/// Errors compare by `kind` (and `code` when libfido2 produced them). `message` is written for the
/// person at the terminal and says what to do; `code`, `codeName` and `call` are for logs and bug
/// reports. A PIN never appears in any field.
public struct FIDO2Error: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// libfido2 is not installed (it is loaded only when a command needs a security key).
        case libraryMissing
        case invalidAddress, invalidRequest
        case deviceNotFound, permissionDenied, deviceBusy, deviceIO
        case noCredentials, credentialExcluded
        case pinRequired, pinInvalid, pinBlocked, pinAuthBlocked, pinNotSet, pinPolicy
        case uvBlocked, uvInvalid, operationDenied
        case actionTimeout, cancelled
        case unsupportedAlgorithm, unsupportedOption
        case keyStoreFull, malformedReply, invalidSignature, attestationRejected
        case internalError, other
    }

    public let kind: Kind
    /// libfido2's return code; nil when the error did not come from libfido2.
    public let code: Int32?
    /// libfido2's name for `code`, e.g. `FIDO_ERR_PIN_REQUIRED`.
    public let codeName: String?
    /// The libfido2 function (or step) that failed.
    public let call: String?
    /// The device concerned, as given by the user.
    public let device: String?
    public let message: String

    public init(
        _ kind: Kind, _ message: String, code: Int32? = nil, call: String? = nil, device: String? = nil
    ) {
        self.kind = kind
        self.message = message
        self.code = code
        self.codeName = code.map(FIDO2Error.name(ofCode:))
        self.call = call
        self.device = device
    }

    public var description: String {
        var text = message
        if let call, let codeName {
            text += " (\(call): \(codeName))"
        } else if let call {
            text += " (\(call))"
        }
        return text
    }

    public static func == (lhs: FIDO2Error, rhs: FIDO2Error) -> Bool {
        lhs.kind == rhs.kind && lhs.code == rhs.code
    }
}
