/// Deliberately broken answers, so clients' error paths can be tested.
public enum FaultMode: String, Sendable, CaseIterable {
    /// CBOR responses carry status OK and a truncated CBOR map.
    case badCBOR = "bad-cbor"
    /// The response's first packet is cut to 30 bytes, then the connection is closed.
    case shortFrame = "short-frame"
    /// Responses arrive on a channel that is not the requester's.
    case wrongChannel = "wrong-channel"
    /// Continuation packets start at sequence 1 instead of 0 (multi-packet responses).
    case badSequence = "bad-seq"
    /// The init packet declares 0xFFFF payload bytes, more than any message can hold.
    case hugeLength = "huge-length"
    /// The INIT response echoes a wrong nonce and has a wrong length.
    case garbageInit = "garbage-init"
    /// CBOR requests are processed but never answered (client-side timeouts).
    case noResponse = "no-response"
}

/// A fault and the CTAP2 commands whose responses it breaks (all when `commands` is empty).
/// `garbage-init` applies to CTAPHID_INIT instead.
public struct FaultInjection: Sendable {
    public var mode: FaultMode
    /// CTAP2 command bytes (0x01 makeCredential, 0x02 getAssertion, 0x04 getInfo, 0x06 clientPIN…).
    public var commands: Set<UInt8>

    public init(mode: FaultMode, commands: Set<UInt8> = []) {
        self.mode = mode
        self.commands = commands
    }

    /// Names accepted by `--fault-on`.
    public static let commandNames: [String: UInt8] = [
        "makeCredential": 0x01, "getAssertion": 0x02, "getInfo": 0x04, "clientPIN": 0x06,
        "reset": 0x07, "getNextAssertion": 0x08, "selection": 0x0b,
    ]

    func applies(toCBORCommand command: UInt8?) -> Bool {
        guard mode != .garbageInit, let command else { return false }
        return commands.isEmpty || commands.contains(command)
    }
}
