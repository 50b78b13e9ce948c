/// One 64-byte CTAPHID packet, parsed (CTAP 2.1 §11.2.4 "Message and packet structure").
enum CTAPHIDFrame: Equatable {
    /// Initialization packet: CID, CMD (high bit set on the wire), BCNT, first payload bytes.
    case initial(channel: UInt32, command: UInt8, length: Int, data: ArraySlice<UInt8>)
    /// Continuation packet: CID, SEQ (0...0x7f), payload bytes.
    case continuation(channel: UInt32, sequence: UInt8, data: ArraySlice<UInt8>)

    init(packet: [UInt8]) {
        let channel = packet[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        if packet[4] & 0x80 != 0 {
            let length = Int(packet[5]) << 8 | Int(packet[6])
            self = .initial(channel: channel, command: packet[4] & 0x7f, length: length, data: packet[7...])
        } else {
            self = .continuation(channel: channel, sequence: packet[4], data: packet[5...])
        }
    }

    var channel: UInt32 {
        switch self {
        case .initial(let channel, _, _, _), .continuation(let channel, _, _): channel
        }
    }
}

/// Splits messages into 64-byte packets.
enum CTAPHIDFramer {
    static func channelBytes(_ channel: UInt32) -> [UInt8] {
        [UInt8(channel >> 24), UInt8(truncatingIfNeeded: channel >> 16), UInt8(truncatingIfNeeded: channel >> 8), UInt8(truncatingIfNeeded: channel)]
    }

    /// The packets of one response; `declaredLength` and `firstSequence` exist for fault injection.
    static func packets(
        channel: UInt32, command: UInt8, payload: [UInt8],
        declaredLength: Int? = nil, firstSequence: UInt8 = 0
    ) -> [[UInt8]] {
        let length = declaredLength ?? payload.count
        var first = channelBytes(channel) + [0x80 | command, UInt8(truncatingIfNeeded: length >> 8), UInt8(truncatingIfNeeded: length)]
        first += payload.prefix(CTAPHID.initPayloadSize)
        var packets = [padded(first)]
        var offset = min(payload.count, CTAPHID.initPayloadSize)
        var sequence = firstSequence
        while offset < payload.count {
            let end = min(payload.count, offset + CTAPHID.continuationPayloadSize)
            packets.append(padded(channelBytes(channel) + [sequence & 0x7f] + payload[offset..<end]))
            sequence &+= 1
            offset = end
        }
        return packets
    }

    static func errorPacket(channel: UInt32, _ code: CTAPHID.ErrorCode) -> [UInt8] {
        packets(channel: channel, command: CTAPHID.Command.error.rawValue, payload: [code.rawValue])[0]
    }

    private static func padded(_ bytes: [UInt8]) -> [UInt8] {
        bytes + [UInt8](repeating: 0, count: CTAPHID.packetSize - bytes.count)
    }
}
