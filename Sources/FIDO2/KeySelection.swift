/// Operations over several plugged-in keys with one touch in total (DESIGN "Touches and
/// prompts"): the request goes to every candidate key at once; the first key that is touched
/// and answers wins, the others are cancelled (`fido_dev_cancel`) and left usable.
///
/// Exception: when a candidate needs a PIN before the operation can even be sent, the user
/// first picks the key with a touch (`waitForTouch`), then enters its PIN, then touches again.
/// A PIN needed during the race (built-in verification failed) is asked one key at a time.
public enum KeySelection {
    public static func getAssertion(
        _ request: AssertionRequest, on devices: [FIDO2Device], pin provider: PINProvider? = nil,
        events: DeviceEventHandler? = nil
    ) async throws(FIDO2Error) -> Assertion {
        try request.validate()
        var candidates = devices
        if devices.count > 1 {
            candidates = await holders(of: request, among: devices)
            guard !candidates.isEmpty else { throw noKeyHolds(request, devices: devices) }
        }
        let needsPIN = candidates.contains { (try? VerificationPlan.forAssertion(request, info: $0.info)) == .pin }
        if candidates.count > 1, needsPIN {
            candidates = [try await selectByTouch(candidates, timeout: request.timeout, events: events)]
        }
        guard candidates.count > 1, let provider else {
            return try await race(candidates, events: events) { device async throws(FIDO2Error) in
                try await device.getAssertion(request, pin: provider, events: events)
            }
        }
        let queue = PINPromptQueue(provider)
        return try await race(candidates, events: events) { device async throws(FIDO2Error) in
            do throws(FIDO2Error) {
                return try await device.getAssertion(request, pin: queue, events: events)
            } catch {
                await queue.finished(device.address)
                throw error
            }
        }
    }

    public static func makeCredential(
        _ request: CredentialRequest, on devices: [FIDO2Device], pin provider: PINProvider? = nil,
        events: DeviceEventHandler? = nil
    ) async throws(FIDO2Error) -> Credential {
        try request.validate()
        var candidates = devices.filter { $0.info.supports(request.algorithm) }
        guard !candidates.isEmpty else {
            throw FIDO2Error(.unsupportedAlgorithm, "None of the security keys supports \(request.algorithm).")
        }
        let needsPIN = candidates.contains { (try? VerificationPlan.forCredential(request, info: $0.info)) == .pin }
        if candidates.count > 1, needsPIN {
            candidates = [try await selectByTouch(candidates, timeout: request.timeout, events: events)]
        }
        guard candidates.count > 1, let provider else {
            return try await race(candidates, events: events) { device async throws(FIDO2Error) in
                try await device.makeCredential(request, pin: provider, events: events)
            }
        }
        let queue = PINPromptQueue(provider)
        return try await race(candidates, events: events) { device async throws(FIDO2Error) in
            do throws(FIDO2Error) {
                return try await device.makeCredential(request, pin: queue, events: events)
            } catch {
                await queue.finished(device.address)
                throw error
            }
        }
    }

    /// Returns the key the user touches first.
    public static func selectByTouch(
        _ devices: [FIDO2Device], timeout: Duration = .seconds(30), events: DeviceEventHandler? = nil
    ) async throws(FIDO2Error) -> FIDO2Device {
        guard devices.count > 1 else {
            guard let only = devices.first else { throw FIDO2Error(.deviceNotFound, "No security key found.") }
            return only
        }
        return try await race(devices, events: events) { device async throws(FIDO2Error) in
            try await device.waitForTouch(timeout: timeout, events: events)
            return device
        }
    }

    /// Keys that may hold one of the credentials (silent up=false probe, in parallel).
    private static func holders(of request: AssertionRequest, among devices: [FIDO2Device]) async -> [FIDO2Device] {
        await withTaskGroup(of: (Int, Bool).self) { group in
            for (index, device) in devices.enumerated() {
                group.addTask { (index, await device.mayHoldCredential(request)) }
            }
            var holds = Array(repeating: false, count: devices.count)
            for await (index, answer) in group { holds[index] = answer }
            return devices.indices.filter { holds[$0] }.map { devices[$0] }
        }
    }

    /// Runs `operation` on every device at once; the first success wins and the rest are cancelled.
    static func race<T: Sendable>(
        _ devices: [FIDO2Device], events: DeviceEventHandler?,
        _ operation: @escaping @Sendable (FIDO2Device) async throws(FIDO2Error) -> T
    ) async throws(FIDO2Error) -> T {
        if devices.count == 1 { return try await operation(devices[0]) }
        let outcome: Result<T, FIDO2Error> = await withTaskGroup(of: (Int, Result<T, FIDO2Error>).self) { group in
            for (index, device) in devices.enumerated() {
                group.addTask {
                    do throws(FIDO2Error) { return (index, .success(try await operation(device))) } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var failures: [FIDO2Error] = []
            while let (index, result) = await group.next() {
                switch result {
                case .success(let value):
                    group.cancelAll()
                    while await group.next() != nil {}
                    events?(.selected(device: devices[index].address))
                    return .success(value)
                case .failure(let error):
                    failures.append(error)
                }
            }
            return .failure(mostRelevant(failures))
        }
        return try outcome.get()
    }

    /// The error to show when every key failed: the one that tells the user the most.
    static func mostRelevant(_ failures: [FIDO2Error]) -> FIDO2Error {
        func rank(_ error: FIDO2Error) -> Int {
            switch error.kind {
            case .pinBlocked, .pinAuthBlocked, .uvBlocked, .pinInvalid: 5
            case .operationDenied, .credentialExcluded, .attestationRejected, .invalidSignature: 4
            case .actionTimeout: 3
            case .cancelled: 1
            case .noCredentials: 0
            default: 2
            }
        }
        return failures.max { rank($0) < rank($1) }
            ?? FIDO2Error(.deviceNotFound, "No security key found.")
    }

    private static func noKeyHolds(_ request: AssertionRequest, devices: [FIDO2Device]) -> FIDO2Error {
        let enrolled = request.enrolledDescription.map { " It was enrolled as \($0); plug in that key." } ?? ""
        let names = devices.map(\.address.description).joined(separator: ", ")
        return FIDO2Error(.noCredentials, "None of the security keys (\(names)) holds an enrolled credential.\(enrolled)")
    }
}
