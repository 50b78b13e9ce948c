/// Constants and range checks for the two curves, used where swift-crypto would accept (or only
/// silently reject) encodings a strict verifier must refuse with a reason.
enum CurveConstants {
    /// Order n of the NIST P-256 base point, big-endian (FIPS 186-4 D.1.2.3).
    static let p256Order: [UInt8] = hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")

    /// Order L of the Ed25519 base point, little-endian as scalars are encoded (RFC 8032 5.1).
    static let ed25519OrderLE: [UInt8] = hex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010")

    /// The field prime 2^255 - 19, little-endian.
    static let ed25519PrimeLE: [UInt8] = hex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")

    /// y-coordinates (sign bit cleared, little-endian) of the eight points of small order: identity,
    /// the point of order 2, and the points of order 4 and 8.
    static let ed25519SmallOrderY: Set<[UInt8]> = [
        hex("0000000000000000000000000000000000000000000000000000000000000000"),
        hex("0100000000000000000000000000000000000000000000000000000000000000"),
        hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
        hex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),
        hex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
    ]

    /// 0 < value < n for a big-endian magnitude without leading zeros.
    static func isValidP256Scalar(_ magnitude: [UInt8]) -> Bool {
        guard !magnitude.isEmpty, magnitude.contains(where: { $0 != 0 }) else { return false }
        guard magnitude.count <= p256Order.count else { return false }
        let padded = [UInt8](repeating: 0, count: p256Order.count - magnitude.count) + magnitude
        return padded.lexicographicallyPrecedes(p256Order)
    }

    /// value < bound for two little-endian numbers of the same width.
    static func isLessThan(littleEndian value: [UInt8], _ bound: [UInt8]) -> Bool {
        Array(value.reversed()).lexicographicallyPrecedes(Array(bound.reversed()))
    }

    /// Rejects Ed25519 public keys that are not canonically encoded (y ≥ p) or have small order.
    static func isAcceptableEd25519Key(_ key: [UInt8]) -> Bool {
        var y = key
        y[31] &= 0x7F
        return isLessThan(littleEndian: y, ed25519PrimeLE) && !ed25519SmallOrderY.contains(y)
    }

    private static func hex(_ text: StaticString) -> [UInt8] {
        let digits = Array(text.description.utf8)
        return stride(from: 0, to: digits.count, by: 2).map { index in
            nibble(digits[index]) << 4 | nibble(digits[index + 1])
        }
    }

    private static func nibble(_ digit: UInt8) -> UInt8 {
        digit <= UInt8(ascii: "9") ? digit - UInt8(ascii: "0") : digit - UInt8(ascii: "a") + 10
    }
}
