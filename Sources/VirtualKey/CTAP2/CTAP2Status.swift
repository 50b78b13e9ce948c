/// CTAP2 status codes this key returns (CTAP 2.1 §8.2 "Status codes").
public enum CTAP2Status: UInt8, Error, Sendable {
    case ok = 0x00
    case invalidCommand = 0x01
    case invalidParameter = 0x02
    case invalidLength = 0x03
    case cborUnexpectedType = 0x11
    case invalidCBOR = 0x12
    case missingParameter = 0x14
    case credentialExcluded = 0x19
    case invalidCredential = 0x22
    case unsupportedAlgorithm = 0x26
    case operationDenied = 0x27
    case keyStoreFull = 0x28
    case unsupportedOption = 0x2b
    case invalidOption = 0x2c
    case keepaliveCancel = 0x2d
    case noCredentials = 0x2e
    case userActionTimeout = 0x2f
    case notAllowed = 0x30
    case pinInvalid = 0x31
    case pinBlocked = 0x32
    case pinAuthInvalid = 0x33
    case pinAuthBlocked = 0x34
    case pinNotSet = 0x35
    case pinRequired = 0x36
    case pinPolicyViolation = 0x37
    case requestTooLarge = 0x39
    case uvBlocked = 0x3c
    case uvInvalid = 0x3f
    case invalidSubcommand = 0x3e
    case unauthorizedPermission = 0x40
    case other = 0x7f
}

/// CTAP2 command bytes (CTAP 2.1 §6 "Authenticator API").
enum CTAP2Command: UInt8 {
    case makeCredential = 0x01
    case getAssertion = 0x02
    case getInfo = 0x04
    case clientPIN = 0x06
    case reset = 0x07
    case getNextAssertion = 0x08
    case selection = 0x0b
}
