import CFIDO2

extension FIDO2Device {
    /// Creates a credential (one touch), checks its attestation, and returns it.
    public func makeCredential(
        _ request: CredentialRequest, pin provider: PINProvider? = nil, events: DeviceEventHandler? = nil
    ) async throws(FIDO2Error) -> Credential {
        try request.validate()
        guard info.supports(request.algorithm) else {
            throw FIDO2Error.libfido2(0x26, call: "authenticatorGetInfo", context: context)
        }
        let plan = try VerificationPlan.forCredential(request, info: info)
        let (address, context) = (self.address, self.context)
        // With a PIN libfido2 leaves the uv option out; without, it asks for a UV token.
        let uv: fido_opt_t = request.userVerification || plan == .builtIn ? FIDO_OPT_TRUE : FIDO_OPT_OMIT
        return try await withVerification(plan, provider: provider) { pin async throws(FIDO2Error) -> Credential in
            try await runUserOperation(purpose: .makeCredential, timeout: request.timeout, events: events) {
                device, _ throws(FIDO2Error) -> Credential in
                let credential = try CredentialObject(context: context)
                try credential.configure(request, userVerification: uv)
                try credential.make(on: device, pin: pin)
                return try credential.extract(request, device: address)
            }
        }
    }

    /// Signs `request.clientDataHash` with one of the allowed credentials (one touch), and
    /// verifies the signature with libfido2 against that credential's public key.
    public func getAssertion(
        _ request: AssertionRequest, pin provider: PINProvider? = nil, events: DeviceEventHandler? = nil
    ) async throws(FIDO2Error) -> Assertion {
        try request.validate()
        let plan = try VerificationPlan.forAssertion(request, info: info)
        var context = self.context
        context.enrolledCredential = request.enrolledDescription
        let address = self.address
        let up: fido_opt_t = request.userPresence ? FIDO_OPT_TRUE : FIDO_OPT_FALSE
        let uv: fido_opt_t = request.userVerification || plan == .builtIn ? FIDO_OPT_TRUE : FIDO_OPT_OMIT
        return try await withVerification(plan, provider: provider) { [context] pin async throws(FIDO2Error) -> Assertion in
            try await runUserOperation(purpose: .getAssertion, timeout: request.timeout, events: events) {
                device, _ throws(FIDO2Error) -> Assertion in
                let assertion = try AssertionObject(context: context)
                try assertion.configure(request, userPresence: up, userVerification: uv)
                try assertion.get(on: device, pin: pin)
                return try assertion.extract(request, device: address)
            }
        }
    }

    /// Asks, without a touch (up=false), whether the key holds one of the credentials. Only a
    /// definite "no credentials" answer returns false; anything else keeps the key a candidate.
    func mayHoldCredential(_ request: AssertionRequest) async -> Bool {
        var quiet = request
        quiet.userPresence = false
        quiet.userVerification = false
        quiet.timeout = .seconds(2)
        let probe = quiet
        let context = self.context
        do throws(FIDO2Error) {
            try await runUserOperation(purpose: .getAssertion, timeout: probe.timeout, events: nil) {
                device, _ throws(FIDO2Error) in
                let assertion = try AssertionObject(context: context)
                try assertion.configure(probe, userPresence: FIDO_OPT_FALSE, userVerification: FIDO_OPT_OMIT)
                try assertion.get(on: device, pin: nil)
            }
            return true
        } catch {
            return error.kind != .noCredentials
        }
    }

    /// Waits until this key is touched (`fido_dev_get_touch_begin`/`_status`), for choosing one
    /// key among several when the real operation needs a PIN first.
    public func waitForTouch(timeout: Duration = .seconds(30), events: DeviceEventHandler? = nil) async throws(FIDO2Error) {
        let context = self.context
        try await runUserOperation(purpose: .selectKey, timeout: timeout, events: events) {
            device, operation throws(FIDO2Error) in
            try FIDO2Error.check(fido_dev_get_touch_begin(device), "fido_dev_get_touch_begin", context: context)
            var touched: Int32 = 0
            while touched == 0 {
                try FIDO2Error.check(
                    fido_dev_get_touch_status(device, &touched, 100), "fido_dev_get_touch_status", context: context)
                if touched == 0, operation.cancelReason != nil {
                    throw FIDO2Error(.cancelled, "Touch selection was cancelled.", call: "fido_dev_get_touch_status")
                }
            }
        }
    }
}
