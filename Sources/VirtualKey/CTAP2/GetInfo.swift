import Foundation

extension VirtualAuthenticator {
    /// authenticatorGetInfo (CTAP 2.1 §6.4).
    func getInfo() -> CBORValue {
        let pinSet = (try? withState { state, _ in state.pinHash != nil }) ?? false
        var options: [CBORValue: CBORValue] = [
            "rk": true, "up": true, "plat": false, "clientPin": .bool(pinSet), "pinUvAuthToken": true,
        ]
        if configuration.builtInUV { options["uv"] = true }
        if configuration.alwaysUV { options["alwaysUv"] = true }
        return .map([
            1: .array(["FIDO_2_0", "FIDO_2_1"]),
            2: .array(["credProtect"]),
            3: .bytes(aaguidBytes),
            4: .map(options),
            5: .int(configuration.maxMessageSize),
            6: .array([2, 1]),
            9: .array(["usb"]),
            10: .array(COSEAlgorithm.allCases.map { .map(["alg": .int($0.rawValue), "type": "public-key"]) }),
        ])
    }

    var aaguidBytes: [UInt8] {
        withUnsafeBytes(of: configuration.aaguid.uuid) { Array($0) }
    }
}
