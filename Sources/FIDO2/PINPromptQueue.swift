import Foundation

/// One key at a time asks for its PIN while several keys race for one touch (DESIGN "Touches
/// and prompts"): two keys whose built-in verification failed would both fall back to their PIN,
/// and two prompts on one terminal fight over what the person types. The first key to ask keeps
/// the turn (a wrong PIN asks again for the same key) until its operation fails; if it succeeds
/// the race is over and the keys still waiting are cancelled without ever showing a prompt.
final class PINPromptQueue: PINProvider, @unchecked Sendable {
    private let provider: PINProvider
    private let turns = PINPromptTurns()

    init(_ provider: PINProvider) { self.provider = provider }

    func pin(for request: PINRequest) async throws(FIDO2Error) -> String? {
        guard await turns.take(for: request.device) else {
            throw FIDO2Error(
                .cancelled, "PIN entry was cancelled: another key answered first.", device: request.device.description)
        }
        return try await provider.pin(for: request)
    }

    /// The key's operation failed: the next waiting key may ask.
    func finished(_ device: DeviceAddress) async { await turns.release(device) }
}

/// Whose turn it is to ask for a PIN; waiters suspend (no thread blocks) and leave on cancellation.
actor PINPromptTurns {
    private var owner: DeviceAddress?
    private var waiting: [(id: UUID, device: DeviceAddress, continuation: CheckedContinuation<Bool, Never>)] = []

    /// True once `device` holds the turn; false if the task was cancelled first.
    func take(for device: DeviceAddress) async -> Bool {
        if owner == nil || owner == device {
            owner = device
            return true
        }
        let id = UUID()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled { return continuation.resume(returning: false) }
                waiting.append((id, device, continuation))
            }
        } onCancel: {
            Task { await self.cancel(id) }
        }
    }

    func release(_ device: DeviceAddress) {
        guard owner == device else { return }
        owner = nil
        guard !waiting.isEmpty else { return }
        let next = waiting.removeFirst()
        owner = next.device
        next.continuation.resume(returning: true)
    }

    private func cancel(_ id: UUID) {
        guard let index = waiting.firstIndex(where: { $0.id == id }) else { return }
        waiting.remove(at: index).continuation.resume(returning: false)
    }
}
