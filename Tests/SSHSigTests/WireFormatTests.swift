import Foundation
import Testing
@testable import SSHSig

@Suite struct WireFormatTests {
    @Test func writerAndReaderRoundTrip() throws {
        var writer = SSHWriter()
        writer.writeByte(0xAB)
        writer.writeUInt32(0xDEAD_BEEF)
        writer.writeString("namespace")
        writer.writePositiveMPInt([0x00, 0x00, 0x80, 0x01])
        writer.writePositiveMPInt([0x7F])
        writer.writePositiveMPInt([])
        var reader = SSHReader(writer.bytes)
        #expect(try reader.readByte() == 0xAB)
        #expect(try reader.readUInt32() == 0xDEAD_BEEF)
        #expect(try reader.readText(field: "t") == "namespace")
        #expect(try reader.readPositiveMPInt() == [0x80, 0x01])
        #expect(try reader.readPositiveMPInt() == [0x7F])
        #expect(try reader.readPositiveMPInt() == [])
        try reader.finish()
    }

    @Test func mpintEncodingIsMinimalTwosComplement() {
        var writer = SSHWriter()
        writer.writePositiveMPInt([0x00, 0x80])
        #expect(writer.bytes == [0, 0, 0, 2, 0x00, 0x80])
        var zero = SSHWriter()
        zero.writePositiveMPInt([0, 0])
        #expect(zero.bytes == [0, 0, 0, 0])
    }

    @Test func readerRejectsTruncationHugeLengthsAndTrailingBytes() {
        var short = SSHReader([0, 0, 0])
        #expect(throws: SSHSigError.truncated) { try short.readUInt32() }
        var huge = SSHReader([0xFF, 0xFF, 0xFF, 0xFF, 1])
        #expect(throws: SSHSigError.lengthTooLarge(declared: 0xFFFF_FFFF, limit: SSHReader.defaultLengthLimit)) { try huge.readString() }
        var cut = SSHReader([0, 0, 0, 5, 1, 2])
        #expect(throws: SSHSigError.truncated) { try cut.readString() }
        var extra = SSHReader([1, 2])
        _ = try? extra.readByte()
        #expect(throws: SSHSigError.trailingBytes(count: 1)) { try extra.finish() }
    }

    @Test func readerRejectsNonCanonicalAndNegativeMPInts() {
        var padded = SSHReader([0, 0, 0, 2, 0x00, 0x7F])
        #expect(throws: SSHSigError.nonCanonicalMPInt) { try padded.readPositiveMPInt() }
        var lone = SSHReader([0, 0, 0, 1, 0x00])
        #expect(throws: SSHSigError.nonCanonicalMPInt) { try lone.readPositiveMPInt() }
        var negative = SSHReader([0, 0, 0, 1, 0x80])
        #expect(throws: SSHSigError.negativeMPInt) { try negative.readPositiveMPInt() }
    }

    @Test func errorsCarryHumanMessages() {
        #expect(SSHSigError.notSecurityKey("ssh-ed25519").localizedDescription == "key type \"ssh-ed25519\" is not a FIDO security key (sk-*) type")
        #expect("\(SSHSigError.inAllowedSignersLine(3, .unknownOption("verify-required")))" == "allowed_signers line 3: unknown option \"verify-required\"")
    }

    @Test func textFieldsMustBePrintableUTF8() {
        var control = SSHReader([0, 0, 0, 2, 0x61, 0x0A])
        #expect(throws: SSHSigError.invalidText(field: "namespace")) { try control.readText(field: "namespace") }
        var invalid = SSHReader([0, 0, 0, 1, 0xFF])
        #expect(throws: SSHSigError.invalidText(field: "namespace")) { try invalid.readText(field: "namespace") }
    }

    @Test(arguments: [[UInt8](), [0], [0, 1], [0, 1, 2], [0xFF, 0xFE, 0xFD, 0xFC, 0xFB]])
    func base64RoundTrip(bytes: [UInt8]) throws {
        let text = Base64.encode(bytes)
        #expect(try Base64.decode(text) == bytes)
    }

    @Test func base64MatchesRFC4648Vectors() throws {
        #expect(Base64.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64.encode(Array("fo".utf8)) == "Zm8=")
        #expect(Base64.encode(Array("fo".utf8), padded: false) == "Zm8")
        #expect(try Base64.decode("Zm9vYg==") == Array("foob".utf8))
    }

    @Test(arguments: ["Zm8", "Zm9=", "Zm8==", "Z===", "Zm-v", "Zm9v\n", "=Zm8", "Zm8=Zm8="])
    func base64RejectsNonCanonicalText(text: String) {
        #expect(throws: SSHSigError.badBase64) { try Base64.decode(text) }
    }
}
