import Testing
@testable import VirtualKey

@Suite struct CBORTests {
    @Test(arguments: [
        CBORValue.unsigned(0), .unsigned(23), .unsigned(24), .unsigned(255), .unsigned(256), .unsigned(65536),
        .unsigned(UInt64.max), .int(-1), .int(-25), .int(-257), .negative(UInt64.max),
        .bytes([]), .bytes([1, 2, 3]), .bytes([UInt8](repeating: 7, count: 300)), .text(""), .text("ssh:ciauth ✓"),
        .array([1, "a", .bytes([0])]), .bool(true), .bool(false), .null,
        .map([1: "x", -1: .array([]), "rk": true, "up": .map(["a": 1])]),
    ])
    func roundTrip(_ value: CBORValue) throws {
        #expect(try CBORDecoder.decode(CBOREncoder.encode(value)) == value)
    }

    @Test func knownEncodings() {
        #expect(CBOREncoder.encode(.unsigned(24)) == [0x18, 0x18])
        #expect(CBOREncoder.encode(.int(-7)) == [0x26])
        #expect(CBOREncoder.encode(.int(-257)) == [0x39, 0x01, 0x00])
        #expect(CBOREncoder.encode(.text("id")) == [0x62, 0x69, 0x64])
    }

    /// CTAP2 canonical order: shorter encoded keys first, then bytewise (CTAP 2.1 §8).
    @Test func mapKeysAreCanonicallyOrdered() {
        let encoded = CBOREncoder.encode(.map(["uv": true, 3: 0, "rk": true, -1: 0, 1: 0, "up": false, "plat": false]))
        #expect(encoded == [0xa7, 0x01, 0x00, 0x03, 0x00, 0x20, 0x00,
                            0x62, 0x72, 0x6b, 0xf5, 0x62, 0x75, 0x70, 0xf4, 0x62, 0x75, 0x76, 0xf5,
                            0x64, 0x70, 0x6c, 0x61, 0x74, 0xf4])
    }

    @Test(arguments: [
        ([], "truncated"),
        ([0x18], "truncated"),
        ([0x43, 1, 2], "truncated"),
        ([0x01, 0x02], "trailing bytes"),
        ([0x5f, 0x41, 0x00, 0xff], "indefinite length or reserved additional info 31"),
        ([0x18, 0x05], "non-shortest integer encoding"),
        ([0x19, 0x00, 0xff], "non-shortest integer encoding"),
        ([0x1a, 0x00, 0x00, 0xff, 0xff], "non-shortest integer encoding"),
        ([0xa2, 0x01, 0x00, 0x01, 0x00], "duplicate map key"),
        ([0xa2, 0x02, 0x00, 0x01, 0x00], "map keys not in canonical order"),
        ([0xa2, 0x61, 0x61, 0x00, 0x01, 0x00], "map keys not in canonical order"),
        ([0xf9, 0x3c, 0x00], "floats and unknown simple values are not allowed"),
        ([0xf7], "floats and unknown simple values are not allowed"),
        ([0xc0, 0x00], "tags are not allowed"),
        ([0x62, 0xc3, 0x28], "invalid UTF-8 in text string"),
        ([0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], "truncated"),
        ([0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], "truncated"),
    ] as [([UInt8], String)])
    func rejectsMalformedInput(_ bytes: [UInt8], reason: String) {
        #expect(throws: VirtualKeyError.invalidCBOR(reason)) { try CBORDecoder.decode(bytes) }
    }

    @Test func rejectsDeepNesting() {
        let deep = [UInt8](repeating: 0x81, count: CBORDecoder.maxDepth + 1) + [0x00]
        #expect(throws: VirtualKeyError.invalidCBOR("nesting too deep")) { try CBORDecoder.decode(deep) }
        let fine = [UInt8](repeating: 0x81, count: CBORDecoder.maxDepth) + [0x00]
        #expect(throws: Never.self) { try CBORDecoder.decode(fine) }
    }
}

@Suite struct CBORRobustnessTests {
    /// Mutated valid messages and random bytes: the decoder returns or throws, never traps, and
    /// whatever it accepts re-encodes to the same bytes (strictness means one encoding per value).
    @Test func mutationsNeverTrapAndAcceptedInputIsCanonical() {
        var generator = SeededGenerator(seed: 0x5eed)
        let valid = CBOREncoder.encode(Requests.makeCredential(rk: true, exclude: [[1, 2, 3]]))
        for round in 0..<5000 {
            var bytes = valid
            if round % 5 == 0 {
                bytes = (0..<Int.random(in: 0...40, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            } else {
                for _ in 0..<Int.random(in: 1...3, using: &generator) {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
                if round % 7 == 0 { bytes.removeLast(Int.random(in: 0..<bytes.count, using: &generator)) }
            }
            if let value = try? CBORDecoder.decode(bytes) {
                #expect(CBOREncoder.encode(value) == bytes)
            }
        }
    }
}

/// Deterministic xorshift generator so failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}
