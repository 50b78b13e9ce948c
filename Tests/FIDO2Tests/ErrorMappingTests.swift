import Testing

@testable import FIDO2

@Suite struct ErrorMappingTests {
    static let allCodes: [Int32] = Array(-12...0xff)

    @Test func namesMatchLibfido2ForEveryCode() {
        for code in Self.allCodes {
            #expect(FIDO2Error.name(ofCode: code) == FIDO2Error.libraryName(ofCode: code), "code \(code)")
        }
    }

    @Test func everyKnownCodeGetsOurOwnMessage() {
        for code in FIDO2Error.codeNames.keys where code != 0 {
            let error = FIDO2Error.libfido2(code, call: "fido_dev_get_assert", context: ErrorContext(device: "unix:/k"))
            #expect(error.code == code)
            #expect(error.codeName == FIDO2Error.name(ofCode: code))
            #expect(error.call == "fido_dev_get_assert")
            #expect(error.device == "unix:/k")
            #expect(!error.message.contains("FIDO_ERR"), "code \(code): \(error.message)")
            #expect(error.description.contains(error.codeName ?? "?"))
        }
    }

    @Test(arguments: [
        (Int32(0x36), FIDO2Error.Kind.pinRequired), (0x31, .pinInvalid), (0x32, .pinBlocked),
        (0x34, .pinAuthBlocked), (0x35, .pinNotSet), (0x2e, .noCredentials), (0x22, .noCredentials),
        (0x2f, .actionTimeout), (0x3a, .actionTimeout), (0x2d, .cancelled), (0x26, .unsupportedAlgorithm),
        (0x2b, .unsupportedOption), (0x06, .deviceBusy), (0x19, .credentialExcluded), (-1, .deviceIO),
        (-2, .deviceIO), (-4, .malformedReply), (-6, .invalidSignature), (-9, .internalError), (0x7f, .other),
    ])
    func mapsKinds(_ code: Int32, _ kind: FIDO2Error.Kind) {
        #expect(FIDO2Error.libfido2(code, call: "x").kind == kind)
    }

    @Test func messagesCarryContext() {
        var context = ErrorContext(device: "/dev/hidraw2")
        context.pinRetries = 2
        context.enrolledCredential = "SHA256:abc (alice@laptop)"
        context.deadlineSeconds = 30
        #expect(FIDO2Error.libfido2(0x31, call: "x", context: context).message.contains("2 tries left"))
        #expect(FIDO2Error.libfido2(0x2e, call: "x", context: context).message.contains("SHA256:abc (alice@laptop)"))
        let timeout = FIDO2Error.libfido2(0x2d, call: "x", context: context)
        #expect(timeout.kind == .actionTimeout)
        #expect(timeout.message.contains("30 s"))
        #expect(FIDO2Error.libfido2(0x32, call: "x", context: context).message.contains("reset"))
    }

    @Test func unknownCodeIsNamedUnknown() {
        let error = FIDO2Error.libfido2(0x99, call: "x")
        #expect(error.codeName == "FIDO_ERR_UNKNOWN")
        #expect(error.kind == .other)
    }
}
