/// Whether 32 bytes decode to a point on edwards25519 (RFC 8032 5.1.3), for refusing invalid
/// Ed25519 public keys at parse time with a named reason instead of a later "does not verify".
///
/// A y-coordinate is valid iff x² = (y² − 1) / (d·y² + 1) has a solution, i.e. iff
/// u·v (u = y² − 1, v = d·y² + 1) is zero or a square mod p, which Euler's criterion decides:
/// (u·v)^((p−1)/2) ∈ {0, 1}. Not constant time; public keys are public.
enum Ed25519PointCheck {
    static func isOnCurve(_ encoded: [UInt8]) -> Bool {
        guard encoded.count == 32 else { return false }
        var yBytes = encoded
        yBytes[31] &= 0x7F
        let y = FieldElement(littleEndian: yBytes)
        let ySquared = y * y
        let u = ySquared - .one
        let v = FieldElement.d * ySquared + .one
        let chi = (u * v).power(littleEndianExponent: eulerExponent)
        return chi.isZero || chi == .one
    }

    /// (p − 1) / 2 = 2^254 − 10, little-endian.
    static let eulerExponent: [UInt8] = [0xF6] + [UInt8](repeating: 0xFF, count: 30) + [0x3F]
}

/// An element of GF(2^255 − 19) in five 51-bit limbs (the "donna" representation).
struct FieldElement: Equatable {
    private var limbs: (UInt64, UInt64, UInt64, UInt64, UInt64)
    private static let mask: UInt64 = (1 << 51) - 1

    static let zero = FieldElement(limbs: (0, 0, 0, 0, 0))
    static let one = FieldElement(limbs: (1, 0, 0, 0, 0))
    /// d = −121665 / 121666 (RFC 8032 5.1), little-endian.
    static let d = FieldElement(littleEndian: [
        0xA3, 0x78, 0x59, 0x13, 0xCA, 0x4D, 0xEB, 0x75, 0xAB, 0xD8, 0x41, 0x41, 0x4D, 0x0A, 0x70, 0x00,
        0x98, 0xE8, 0x79, 0x77, 0x79, 0x40, 0xC7, 0x8C, 0x73, 0xFE, 0x6F, 0x2B, 0xEE, 0x6C, 0x03, 0x52,
    ])

    private init(limbs: (UInt64, UInt64, UInt64, UInt64, UInt64)) {
        self.limbs = limbs
    }

    /// From 32 little-endian bytes, top bit ignored.
    init(littleEndian bytes: [UInt8]) {
        func word(_ index: Int) -> UInt64 {
            (0..<8).reduce(0) { $0 | UInt64(bytes[index * 8 + $1]) << (8 * $1) }
        }
        let (w0, w1, w2, w3) = (word(0), word(1), word(2), word(3))
        limbs = (w0 & Self.mask, (w0 >> 51 | w1 << 13) & Self.mask, (w1 >> 38 | w2 << 26) & Self.mask,
                 (w2 >> 25 | w3 << 39) & Self.mask, (w3 >> 12) & Self.mask)
    }

    var isZero: Bool { self == .zero }

    static func == (lhs: FieldElement, rhs: FieldElement) -> Bool {
        let (a, b) = (lhs.canonical.limbs, rhs.canonical.limbs)
        return a.0 == b.0 && a.1 == b.1 && a.2 == b.2 && a.3 == b.3 && a.4 == b.4
    }

    static func + (lhs: FieldElement, rhs: FieldElement) -> FieldElement {
        let (a, b) = (lhs.limbs, rhs.limbs)
        return FieldElement(limbs: (a.0 + b.0, a.1 + b.1, a.2 + b.2, a.3 + b.3, a.4 + b.4)).carried
    }

    /// lhs + 2p − rhs, so no limb underflows.
    static func - (lhs: FieldElement, rhs: FieldElement) -> FieldElement {
        let (a, b) = (lhs.carried.limbs, rhs.carried.limbs)
        let low: UInt64 = 0xF_FFFF_FFFF_FFDA, high: UInt64 = 0xF_FFFF_FFFF_FFFE
        return FieldElement(limbs: (a.0 + low - b.0, a.1 + high - b.1, a.2 + high - b.2, a.3 + high - b.3, a.4 + high - b.4)).carried
    }

    static func * (lhs: FieldElement, rhs: FieldElement) -> FieldElement {
        let (a0, a1, a2, a3, a4) = (UInt128(lhs.limbs.0), UInt128(lhs.limbs.1), UInt128(lhs.limbs.2), UInt128(lhs.limbs.3), UInt128(lhs.limbs.4))
        let (b0, b1, b2, b3, b4) = (UInt128(rhs.limbs.0), UInt128(rhs.limbs.1), UInt128(rhs.limbs.2), UInt128(rhs.limbs.3), UInt128(rhs.limbs.4))
        let (c1, c2, c3, c4) = (b1 * 19, b2 * 19, b3 * 19, b4 * 19)
        let r0 = a0 * b0 + a1 * c4 + a2 * c3 + a3 * c2 + a4 * c1
        let r1 = a0 * b1 + a1 * b0 + a2 * c4 + a3 * c3 + a4 * c2
        let r2 = a0 * b2 + a1 * b1 + a2 * b0 + a3 * c4 + a4 * c3
        let r3 = a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0 + a4 * c4
        let r4 = a0 * b4 + a1 * b3 + a2 * b2 + a3 * b1 + a4 * b0
        return reduce(r0, r1, r2, r3, r4)
    }

    /// Fixed 4-bit window exponentiation: about 256 squarings and 80 multiplications.
    func power(littleEndianExponent exponent: [UInt8]) -> FieldElement {
        var table = [FieldElement.one, self]
        for _ in 2..<16 { table.append(table[table.count - 1] * self) }
        var result = FieldElement.one
        for byte in exponent.reversed() {
            for nibble in [byte >> 4, byte & 0x0F] {
                for _ in 0..<4 { result = result * result }
                if nibble != 0 { result = result * table[Int(nibble)] }
            }
        }
        return result
    }

    /// Carries 128-bit limb sums down to 51 bits, folding 2^255 ≡ 19.
    private static func reduce(_ r0: UInt128, _ r1: UInt128, _ r2: UInt128, _ r3: UInt128, _ r4: UInt128) -> FieldElement {
        let wide = UInt128(mask)
        var c = r0 >> 51
        let t1 = r1 + c; c = t1 >> 51
        let t2 = r2 + c; c = t2 >> 51
        let t3 = r3 + c; c = t3 >> 51
        let t4 = r4 + c; c = t4 >> 51
        let t0 = (r0 & wide) + c * 19
        return FieldElement(limbs: (UInt64(t0 & wide), UInt64(t1 & wide) + UInt64(t0 >> 51), UInt64(t2 & wide),
                                    UInt64(t3 & wide), UInt64(t4 & wide))).carried
    }

    /// Limbs brought below 2^51 (+ a small excess in limb 0).
    private var carried: FieldElement {
        var (l0, l1, l2, l3, l4) = limbs
        l1 += l0 >> 51; l0 &= Self.mask
        l2 += l1 >> 51; l1 &= Self.mask
        l3 += l2 >> 51; l2 &= Self.mask
        l4 += l3 >> 51; l3 &= Self.mask
        l0 += (l4 >> 51) * 19; l4 &= Self.mask
        l1 += l0 >> 51; l0 &= Self.mask
        return FieldElement(limbs: (l0, l1, l2, l3, l4))
    }

    /// The unique representative in [0, p).
    private var canonical: FieldElement {
        var (l0, l1, l2, l3, l4) = carried.carried.limbs
        // q = 1 iff the value is ≥ p (ref10 fe_tobytes).
        var q = (l0 + 19) >> 51
        q = (l1 + q) >> 51
        q = (l2 + q) >> 51
        q = (l3 + q) >> 51
        q = (l4 + q) >> 51
        l0 += 19 * q
        l1 += l0 >> 51; l0 &= Self.mask
        l2 += l1 >> 51; l1 &= Self.mask
        l3 += l2 >> 51; l2 &= Self.mask
        l4 += l3 >> 51; l3 &= Self.mask
        l4 &= Self.mask
        return FieldElement(limbs: (l0, l1, l2, l3, l4))
    }
}
