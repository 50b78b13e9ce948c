/// CTAPHID constants (CTAP 2.1 §11.2 "USB Human Interface Device (USB HID)").
public enum CTAPHID {
    /// Report size in both directions; this key never uses a report-ID byte.
    public static let packetSize = 64
    public static let initPayloadSize = packetSize - 7
    public static let continuationPayloadSize = packetSize - 5
    /// Largest message 128 continuation packets can carry (§11.2.4).
    public static let maxFramedMessageSize = initPayloadSize + 128 * continuationPayloadSize
    public static let broadcastChannel: UInt32 = 0xffff_ffff

    /// Command codes, without the 0x80 init-packet bit.
    public enum Command: UInt8, Sendable {
        case ping = 0x01
        case msg = 0x03
        case lock = 0x04
        case initialize = 0x06
        case wink = 0x08
        case cbor = 0x10
        case cancel = 0x11
        case keepalive = 0x3b
        case error = 0x3f
    }

    /// CTAPHID_ERROR codes (§11.2.9.1.6).
    public enum ErrorCode: UInt8, Sendable {
        case invalidCommand = 0x01
        case invalidParameter = 0x02
        case invalidLength = 0x03
        case invalidSequence = 0x04
        case messageTimeout = 0x05
        case channelBusy = 0x06
        case lockRequired = 0x0a
        case invalidChannel = 0x0b
        case other = 0x7f
    }

    /// CTAPHID_KEEPALIVE status bytes (§11.2.9.1.5).
    public enum KeepaliveStatus: UInt8, Sendable {
        case processing = 0x01
        case userPresenceNeeded = 0x02
    }

    /// Capability flags in the INIT response (§11.2.9.1.3): WINK, CBOR, and NMSG — a CTAP2 key
    /// does not implement CTAPHID_MSG (CTAP1/U2F), so a clear NMSG bit would claim that it does.
    /// A U2F-only key sets WINK alone: no CBOR, and MSG implemented.
    public static let capabilityWink: UInt8 = 0x01
    public static let capabilityCBOR: UInt8 = 0x04
    public static let capabilityNoMessage: UInt8 = 0x08

    public static let protocolVersion: UInt8 = 2
    public static let deviceVersion: (major: UInt8, minor: UInt8, build: UInt8) = (1, 0, 0)
}
