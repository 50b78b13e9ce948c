import CFIDO2

/// How user verification is obtained for one operation on one key.
enum VerificationPlan: Equatable {
    /// No PIN is sent (user presence only, or the key does not need one).
    case none
    /// The key has a PIN and the operation needs it.
    case pin
    /// The key verifies the user itself (e.g. fingerprint): `uv` option, no PIN.
    case builtIn

    static func forCredential(_ request: CredentialRequest, info: DeviceInfo) throws(FIDO2Error) -> VerificationPlan {
        if request.userVerification || info.alwaysRequiresUserVerification { return try forVerification(info) }
        guard info.isPINSet else { return .none }
        // CTAP 2.1 keys may create non-resident credentials without the PIN.
        let pinOptional = info.options["makeCredUvNotRqd"] == true && !request.residentKey
        return pinOptional ? .none : .pin
    }

    static func forAssertion(_ request: AssertionRequest, info: DeviceInfo) throws(FIDO2Error) -> VerificationPlan {
        request.userVerification || (info.alwaysRequiresUserVerification && request.userPresence)
            ? try forVerification(info) : .none
    }

    private static func forVerification(_ info: DeviceInfo) throws(FIDO2Error) -> VerificationPlan {
        if info.hasBuiltInUserVerification { return .builtIn }
        if info.isPINSet { return .pin }
        throw FIDO2Error(
            .pinNotSet,
            "User verification is required but the security key \(info.address) has no PIN; set one first, e.g. with `fido2-token -S \(info.address)`.",
            device: info.address.description)
    }
}

extension FIDO2Device {
    static let maximumPINAttempts = 3

    /// Runs `body` with the PIN when `plan` needs one; asks again after a wrong PIN (showing the
    /// retries left), and once more if the key unexpectedly answers PIN_REQUIRED. When built-in
    /// verification fails (UV_INVALID) or is blocked (UV_BLOCKED), the PIN is used instead, as
    /// CTAP 2.1 §6.5.5.7.3 tells platforms to, if the key has one.
    func withVerification<T: Sendable>(
        _ plan: VerificationPlan, provider: PINProvider?,
        _ body: (String?) async throws(FIDO2Error) -> T
    ) async throws(FIDO2Error) -> T {
        var pin = plan == .pin ? try await askPIN(provider, previousAttemptFailed: false) : nil
        var attempts = pin == nil ? 0 : 1
        while true {
            do throws(FIDO2Error) {
                return try await body(pin)
            } catch where error.kind == .pinInvalid && pin != nil && attempts < Self.maximumPINAttempts {
                logger.debug("wrong PIN", metadata: ["device": "\(address)"])
                pin = try await askPIN(provider, previousAttemptFailed: true)
            } catch where error.kind == .pinRequired && pin == nil && info.isPINSet && attempts == 0 {
                pin = try await askPIN(provider, previousAttemptFailed: false)
            } catch where [.uvInvalid, .uvBlocked].contains(error.kind) && plan == .builtIn && pin == nil && info.isPINSet {
                logger.debug("built-in verification failed; using the PIN", metadata: ["device": "\(address)"])
                pin = try await askPIN(provider, previousAttemptFailed: false)
                attempts = 0
            } catch where error.kind == .pinInvalid {
                var context = self.context
                context.pinRetries = try? await pinRetries()
                throw FIDO2Error.libfido2(error.code ?? 0x31, call: error.call ?? "fido_dev_get_assert", context: context)
            }
            attempts += 1
        }
    }

    private func askPIN(_ provider: PINProvider?, previousAttemptFailed: Bool) async throws(FIDO2Error) -> String {
        let retries = try await pinRetries()
        guard retries > 0 else {
            throw FIDO2Error.libfido2(0x32, call: "fido_dev_get_retry_count", context: context)
        }
        guard let provider else {
            throw FIDO2Error(
                .pinRequired, "The security key \(address) needs its PIN, but no PIN can be asked here (no terminal).",
                device: address.description)
        }
        let request = PINRequest(device: address, retriesLeft: retries, previousAttemptFailed: previousAttemptFailed)
        guard let pin = try await provider.pin(for: request) else {
            throw FIDO2Error(.cancelled, "PIN entry was cancelled.", device: address.description)
        }
        guard (4...63).contains(pin.utf8.count), !pin.utf8.contains(0) else {
            throw FIDO2Error(.pinPolicy, "A FIDO2 PIN is 4 to 63 bytes long.", device: address.description)
        }
        return pin
    }
}
