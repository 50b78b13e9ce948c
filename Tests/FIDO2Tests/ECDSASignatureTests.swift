import Testing

@testable import FIDO2

@Suite struct ECDSASignatureTests {
    /// DER INTEGER for an unsigned magnitude (adds the 0x00 sign byte when needed).
    static func integer(_ magnitude: [UInt8]) -> [UInt8] {
        let body = magnitude.first.map { $0 & 0x80 != 0 } == true ? [0] + magnitude : magnitude
        return [0x02, UInt8(body.count)] + body
    }

    static func sequence(_ contents: [UInt8]) -> [UInt8] {
        contents.count < 0x80 ? [0x30, UInt8(contents.count)] + contents : [0x30, 0x81, UInt8(contents.count)] + contents
    }

    @Test func parsesRAndSIncludingSignPadding() throws {
        let r = [UInt8](repeating: 0xab, count: 32)
        let s: [UInt8] = [0x01] + [UInt8](repeating: 0x22, count: 31)
        let der = Self.sequence(Self.integer(r) + Self.integer(s))
        #expect(der.count == 2 + 35 + 34)
        let signature = try ECDSASignature(derEncoded: der)
        #expect(signature.r == r)
        #expect(signature.s == s)
        #expect(signature.rawRepresentation == r + s)
    }

    @Test func keepsShortIntegersShortAndPadsRawForm() throws {
        let signature = try ECDSASignature(derEncoded: Self.sequence(Self.integer([0x05]) + Self.integer([0x7f, 0x01])))
        #expect(signature.r == [0x05])
        #expect(signature.s == [0x7f, 0x01])
        #expect(signature.rawRepresentation.count == 64)
        #expect(signature.rawRepresentation[31] == 0x05)
        #expect(Array(signature.rawRepresentation[62...]) == [0x7f, 0x01])
    }

    @Test func roundTripsRandomValues() throws {
        for _ in 0..<200 {
            let r = Array((0..<32).map { _ in UInt8.random(in: 0...255) }.drop(while: { $0 == 0 }))
            let s = Array((0..<32).map { _ in UInt8.random(in: 0...255) }.drop(while: { $0 == 0 }))
            guard !r.isEmpty, !s.isEmpty else { continue }
            let parsed = try ECDSASignature(derEncoded: Self.sequence(Self.integer(r) + Self.integer(s)))
            #expect(parsed == ECDSASignature(r: r, s: s))
        }
    }

    @Test(arguments: [
        ("trailing byte", sequence(integer([1]) + integer([2])) + [0x00]),
        ("extra element", sequence(integer([1]) + integer([2]) + integer([3]))),
        ("missing s", sequence(integer([1]))),
        ("wrong outer tag", [0x31, 0x06] + integer([1]) + integer([2])),
        ("wrong inner tag", sequence([0x04, 0x01, 0x01] + integer([2]))),
        ("negative r", sequence([0x02, 0x01, 0x80] + integer([2]))),
        ("non-minimal r", sequence([0x02, 0x02, 0x00, 0x01] + integer([2]))),
        ("zero r", sequence([0x02, 0x01, 0x00] + integer([2]))),
        ("empty integer", sequence([0x02, 0x00] + integer([2]))),
        ("r over 256 bits", sequence(integer([UInt8](repeating: 0x11, count: 33)) + integer([2]))),
        ("truncated", Array(sequence(integer([1]) + integer([2])).dropLast())),
        ("length beyond input", [0x30, 0x10] + integer([1]) + integer([2])),
        ("indefinite length", [0x30, 0x80] + integer([1]) + integer([2]) + [0, 0]),
        ("non-minimal long length", [0x30, 0x81, 0x06] + integer([1]) + integer([2])),
        ("two-byte length", [0x30, 0x82, 0x00, 0x06] + integer([1]) + integer([2])),
        ("empty", []),
    ] as [(String, [UInt8])])
    func rejectsMalformedDER(_ name: String, _ der: [UInt8]) {
        #expect(throws: FIDO2Error.self, "\(name)") { try ECDSASignature(derEncoded: der) }
        do {
            _ = try ECDSASignature(derEncoded: der)
        } catch {
            #expect(error.kind == .malformedReply)
        }
    }
}
