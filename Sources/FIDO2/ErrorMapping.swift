import CFIDO2

/// What the caller knows when a libfido2 call fails; it makes the message actionable.
struct ErrorContext: Sendable {
    var device: String?
    /// PIN retries left, when known.
    var pinRetries: Int?
    /// Describes the enrolled credential(s), e.g. "SHA256:… (alice@laptop)".
    var enrolledCredential: String?
    /// Set when ciauth itself cancelled the operation because its deadline passed.
    var deadlineSeconds: Double?

    init(device: String? = nil) { self.device = device }
}

extension FIDO2Error {
    /// Maps every libfido2 return code to a typed error with our own message.
    static func libfido2(_ code: Int32, call: String, context: ErrorContext = ErrorContext()) -> FIDO2Error {
        let (kind, message) = describe(code, context: context)
        return FIDO2Error(kind, message, code: code, call: call, device: context.device)
    }

    /// Throws unless `code` is FIDO_OK.
    static func check(_ code: Int32, _ call: String, context: ErrorContext = ErrorContext()) throws(FIDO2Error) {
        guard code == 0 else { throw libfido2(code, call: call, context: context) }
    }

    private static func describe(_ code: Int32, context: ErrorContext) -> (Kind, String) {
        let key = context.device.map { "the security key \($0)" } ?? "the security key"
        let subject = context.device.map { "The security key \($0)" } ?? "The security key"
        switch code {
        case 0x2e, 0x22:
            let enrolled = context.enrolledCredential.map { " It was enrolled as \($0); plug in that key." } ?? ""
            return (.noCredentials, "\(subject) holds no credential for this request.\(enrolled)")
        case 0x19:
            return (.credentialExcluded, "\(subject) already holds a credential for this account; use that one or revoke it first.")
        case 0x36:
            return (.pinRequired, "\(subject) requires its PIN for this operation.")
        case 0x31:
            let retries = context.pinRetries.map { " \($0) \($0 == 1 ? "try" : "tries") left before the PIN is blocked." } ?? ""
            return (.pinInvalid, "Wrong PIN for \(key).\(retries)")
        case 0x32:
            return (.pinBlocked, "The PIN of \(key) is blocked after too many wrong attempts; the key must be reset (this erases its credentials), e.g. with `fido2-token -R`.")
        case 0x34:
            return (.pinAuthBlocked, "\(subject) refuses PINs after 3 wrong attempts in a row; unplug it and plug it back in, then retry.")
        case 0x35:
            return (.pinNotSet, "\(subject) has no PIN but the operation needs user verification; set a PIN first, e.g. with `fido2-token -S <device>`.")
        case 0x37:
            return (.pinPolicy, "The PIN does not meet the policy of \(key) (too short or too long).")
        case 0x33, 0x38:
            return (.pinInvalid, "\(subject) rejected the PIN authentication; retry the operation.")
        case 0x3c:
            return (.uvBlocked, "Built-in user verification of \(key) is blocked; use the PIN or reset the key.")
        case 0x3f:
            return (.uvInvalid, "\(subject) did not recognise the fingerprint; try again.")
        case 0x27:
            return (.operationDenied, "\(subject) denied the operation (declined on the key or unrecognised fingerprint).")
        case 0x2f, 0x3a, 0x05:
            let limit = context.deadlineSeconds.map { " within \(formatSeconds($0))" } ?? ""
            return (.actionTimeout, "\(subject) was not touched\(limit); run the command again and touch the key when asked.")
        case 0x2d:
            if let seconds = context.deadlineSeconds {
                return (.actionTimeout, "\(subject) was not touched within \(formatSeconds(seconds)); run the command again and touch the key when asked.")
            }
            return (.cancelled, "The operation on \(key) was cancelled.")
        case 0x26:
            return (.unsupportedAlgorithm, "\(subject) does not support this algorithm; try ES256 (the default), which every FIDO2 key supports.")
        case 0x2b, 0x2c:
            return (.unsupportedOption, "\(subject) does not support a requested option (resident credential or user verification).")
        case 0x06, 0x24, 0x23, 0x21, 0x0a:
            return (.deviceBusy, "\(subject) is busy with another request (another program may be using it); finish or cancel that, then retry.")
        case 0x28, 0x18, 0x17:
            return (.keyStoreFull, "\(subject) has no room left for resident credentials; delete unused ones or create a non-resident credential.")
        case 0x3b:
            return (.operationDenied, "\(subject) requires a touch for this operation.")
        case -1, -2:
            return (.deviceIO, "Communication with \(key) failed (it was unplugged, is in use by another program, or stopped answering).")
        case -3, -4, 0x11, 0x12, 0x14, 0x01, 0x02, 0x03, 0x04, 0x0b:
            return (.malformedReply, "\(subject) and ciauth did not understand each other (malformed or unexpected message).")
        case -6:
            return (.invalidSignature, "The signature from \(key) does not verify against the expected public key.")
        case -5:
            return (.invalidSignature, "The data signed by \(key) does not match the request (application, flags or extensions).")
        case -7:
            return (.invalidRequest, "The request is not valid for \(key) (missing or unsupported parameter).")
        case -8:
            return (.operationDenied, "\(subject) requires a touch for this operation.")
        case -9:
            return (.internalError, "Opening or talking to \(key) failed inside libfido2 (permission, busy device, or key agreement failure).")
        case -10:
            return (.deviceNotFound, "\(subject) was not found.")
        case 0x16:
            return (.unsupportedOption, "\(subject) does not support a requested extension.")
        case 0x30, 0x40:
            return (.operationDenied, "\(subject) refused the operation in its current state or with these permissions.")
        case 0x15, 0x39:
            return (.invalidRequest, "The request is too large for \(key) (too many credentials or too long a name).")
        case -11:
            return (.internalError, "libfido2 failed to compress or decompress data for \(key).")
        default:
            return (.other, "\(subject) reported an unexpected status (\(code)).")
        }
    }

    private static func formatSeconds(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(seconds) s"
    }

    /// libfido2's symbolic name for a return code (the constants of `fido/err.h`).
    static func name(ofCode code: Int32) -> String {
        codeNames[code] ?? "FIDO_ERR_UNKNOWN"
    }

    /// libfido2's own name for a code (`fido_strerr`), for cross-checking `codeNames`.
    static func libraryName(ofCode code: Int32) -> String {
        String(cString: fido_strerr(code))
    }

    static let codeNames: [Int32: String] = [
        0x00: "FIDO_ERR_SUCCESS", 0x01: "FIDO_ERR_INVALID_COMMAND", 0x02: "FIDO_ERR_INVALID_PARAMETER",
        0x03: "FIDO_ERR_INVALID_LENGTH", 0x04: "FIDO_ERR_INVALID_SEQ", 0x05: "FIDO_ERR_TIMEOUT",
        0x06: "FIDO_ERR_CHANNEL_BUSY", 0x0a: "FIDO_ERR_LOCK_REQUIRED", 0x0b: "FIDO_ERR_INVALID_CHANNEL",
        0x11: "FIDO_ERR_CBOR_UNEXPECTED_TYPE", 0x12: "FIDO_ERR_INVALID_CBOR",
        0x14: "FIDO_ERR_MISSING_PARAMETER", 0x15: "FIDO_ERR_LIMIT_EXCEEDED",
        0x16: "FIDO_ERR_UNSUPPORTED_EXTENSION", 0x17: "FIDO_ERR_FP_DATABASE_FULL",
        0x18: "FIDO_ERR_LARGEBLOB_STORAGE_FULL", 0x19: "FIDO_ERR_CREDENTIAL_EXCLUDED",
        0x21: "FIDO_ERR_PROCESSING", 0x22: "FIDO_ERR_INVALID_CREDENTIAL",
        0x23: "FIDO_ERR_USER_ACTION_PENDING", 0x24: "FIDO_ERR_OPERATION_PENDING",
        0x25: "FIDO_ERR_NO_OPERATIONS", 0x26: "FIDO_ERR_UNSUPPORTED_ALGORITHM",
        0x27: "FIDO_ERR_OPERATION_DENIED", 0x28: "FIDO_ERR_KEY_STORE_FULL", 0x29: "FIDO_ERR_NOT_BUSY",
        0x2a: "FIDO_ERR_NO_OPERATION_PENDING", 0x2b: "FIDO_ERR_UNSUPPORTED_OPTION",
        0x2c: "FIDO_ERR_INVALID_OPTION", 0x2d: "FIDO_ERR_KEEPALIVE_CANCEL",
        0x2e: "FIDO_ERR_NO_CREDENTIALS", 0x2f: "FIDO_ERR_USER_ACTION_TIMEOUT",
        0x30: "FIDO_ERR_NOT_ALLOWED", 0x31: "FIDO_ERR_PIN_INVALID", 0x32: "FIDO_ERR_PIN_BLOCKED",
        0x33: "FIDO_ERR_PIN_AUTH_INVALID", 0x34: "FIDO_ERR_PIN_AUTH_BLOCKED",
        0x35: "FIDO_ERR_PIN_NOT_SET", 0x36: "FIDO_ERR_PIN_REQUIRED",
        0x37: "FIDO_ERR_PIN_POLICY_VIOLATION", 0x38: "FIDO_ERR_PIN_TOKEN_EXPIRED",
        0x39: "FIDO_ERR_REQUEST_TOO_LARGE", 0x3a: "FIDO_ERR_ACTION_TIMEOUT",
        0x3b: "FIDO_ERR_UP_REQUIRED", 0x3c: "FIDO_ERR_UV_BLOCKED", 0x3f: "FIDO_ERR_UV_INVALID",
        0x40: "FIDO_ERR_UNAUTHORIZED_PERM", 0x7f: "FIDO_ERR_ERR_OTHER", 0xdf: "FIDO_ERR_SPEC_LAST",
        -1: "FIDO_ERR_TX", -2: "FIDO_ERR_RX", -3: "FIDO_ERR_RX_NOT_CBOR", -4: "FIDO_ERR_RX_INVALID_CBOR",
        -5: "FIDO_ERR_INVALID_PARAM", -6: "FIDO_ERR_INVALID_SIG", -7: "FIDO_ERR_INVALID_ARGUMENT",
        -8: "FIDO_ERR_USER_PRESENCE_REQUIRED", -9: "FIDO_ERR_INTERNAL", -10: "FIDO_ERR_NOTFOUND",
        -11: "FIDO_ERR_COMPRESS",
    ]
}
