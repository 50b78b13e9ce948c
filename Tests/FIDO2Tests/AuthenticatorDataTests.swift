import Testing

@testable import FIDO2

@Suite struct AuthenticatorDataTests {
    @Test func unwrapsCBORByteStrings() throws {
        let raw = (0..<37).map { UInt8($0) }
        #expect(try CBORByteString.unwrap([0x58, 37] + raw) == raw)
        #expect(try CBORByteString.unwrap([0x43, 1, 2, 3]) == [1, 2, 3])
        let long = [UInt8](repeating: 7, count: 300)
        #expect(try CBORByteString.unwrap([0x59, 0x01, 0x2c] + long) == long)
    }

    @Test(arguments: [
        [UInt8](), [0x60, 0x00], [0x58, 0x03, 1, 2, 3], [0x59, 0x00, 0x03, 1, 2, 3], [0x43, 1, 2], [0x43, 1, 2, 3, 4],
        [0x5f, 0x41, 0x01, 0xff], [0x5a, 0, 0, 0, 1, 1],
    ])
    func rejectsMalformedWrappers(_ bytes: [UInt8]) {
        #expect(throws: FIDO2Error.self) { try CBORByteString.unwrap(bytes) }
    }

    @Test func readsFlagsAndCounter() throws {
        let raw = [UInt8](repeating: 0xaa, count: 32) + [0x05, 0x00, 0x00, 0x01, 0x02]
        let prefix = try AuthenticatorDataPrefix(raw)
        #expect(prefix.flags == [.userPresent, .userVerified])
        #expect(prefix.signCount == 258)
        #expect(throws: FIDO2Error.self) { try AuthenticatorDataPrefix(Array(raw.dropLast())) }
    }
}
