/// What a key says about itself (authenticatorGetInfo), plus its PIN state.
public struct DeviceInfo: Sendable, Equatable {
    public let address: DeviceAddress
    /// USB strings and ids, when discovery found the key (hidraw); nil for socket keys.
    public var manufacturer: String?
    public var product: String?
    public var vendorID: UInt16?
    public var productID: UInt16?
    /// False for U2F-only (CTAP1) keys.
    public let isFIDO2: Bool
    public let aaguid: [UInt8]
    public let versions: [String]
    public let extensions: [String]
    /// GetInfo options, e.g. `rk`, `up`, `uv`, `clientPin`.
    public let options: [String: Bool]
    /// COSE algorithm identifiers the key supports (empty when it does not say).
    public let algorithms: [Int32]
    /// PIN attempts left; nil when the key has no PIN set.
    public let pinRetries: Int?

    public var supportsResidentKeys: Bool { options["rk"] == true }
    public var supportsUserPresence: Bool { options["up"] ?? true }
    /// Built-in user verification (e.g. fingerprint) is configured.
    public var hasBuiltInUserVerification: Bool { options["uv"] == true }
    public var supportsPIN: Bool { options["clientPin"] != nil }
    /// getInfo option alwaysUv (CTAP 2.1): the key verifies the user for every credential and
    /// every signature with a touch, whatever the request asks.
    public var alwaysRequiresUserVerification: Bool { options["alwaysUv"] == true }
    public var isPINSet: Bool { options["clientPin"] == true }

    /// A key that lists no algorithms is a CTAP2.0 key, which must support ES256.
    public func supports(_ algorithm: Algorithm) -> Bool {
        algorithms.isEmpty ? algorithm == .es256 : algorithms.contains(algorithm.coseIdentifier)
    }

    /// The AAGUID in its usual 8-4-4-4-12 form.
    public var aaguidString: String {
        let hex = aaguid.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
        guard hex.count == 32 else { return hex }
        var groups: [Substring] = []
        var rest = Substring(hex)
        for size in [8, 4, 4, 4, 12] {
            groups.append(rest.prefix(size))
            rest = rest.dropFirst(size)
        }
        return groups.joined(separator: "-")
    }
}
