import CIAuthTestSupport
import Foundation
import Testing

@testable import CIAuthCore

@Suite("Approval transport value")
struct TransportTests {
    @Test("base64url matches RFC 4648 test vectors, without padding")
    func base64Vectors() {
        let vectors = ["": "", "f": "Zg", "fo": "Zm8", "foo": "Zm9v", "foob": "Zm9vYg", "fooba": "Zm9vYmE", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in vectors {
            #expect(ApprovalBase64URL.encode(Array(plain.utf8)) == encoded)
            #expect(ApprovalBase64URL.decode(Substring(encoded)) == Array(plain.utf8))
        }
        #expect(ApprovalBase64URL.encode([0xFB, 0xFF, 0xBF]) == "-_-_")
    }

    @Test("base64url round-trips random bytes and agrees with Foundation's base64")
    func base64RoundTrip() {
        var generator = SeededGenerator(seed: 99)
        for length in 0..<300 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let encoded = ApprovalBase64URL.encode(bytes)
            #expect(ApprovalBase64URL.decode(Substring(encoded)) == bytes)
            let foundation = Data(bytes).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            #expect(encoded == foundation)
        }
    }

    @Test("base64url decoding is strict: padding, whitespace, foreign characters, bad length, spare bits")
    func base64Strict() {
        for bad in ["Zg==", "Zm8=", "Zm9v\n", " Zm9v", "Zm+v", "Zm/v", "Z", "Zm9vY", "Zh", "Zm9", "Zm9vYmF=", "Zm9vY.Fy"] {
            #expect(ApprovalBase64URL.decode(Substring(bad)) == nil, "\(bad)")
        }
    }

    @Test func roundTrip() throws {
        let transport = ApprovalTransport(statementBytes: try Sample.statement().encoded, signatureBlob: [1, 2, 3, 4, 5])
        let value = transport.encoded
        #expect(value.hasPrefix("ciauth1:"))
        #expect(value.utf8.allSatisfy { ApprovalFieldRules.isAlphanumeric($0) || "-_:.".utf8.contains($0) })
        #expect(try ApprovalTransport(decoding: value) == transport)
    }

    @Test("every decoding failure has its named reason")
    func rejections() throws {
        let good = ApprovalTransport(statementBytes: try Sample.statement().encoded, signatureBlob: [1, 2, 3]).encoded
        let decode = { (value: String) in { _ = try ApprovalTransport(decoding: value) } }
        expectRejection(.missingApproval, decode(""))
        expectRejection(.transportOversize, decode(String(repeating: "A", count: ApprovalLimits.transportBytes + 1)))
        expectRejection(.transportBadPrefix, decode("ciauth2:" + good.dropFirst(8)))
        expectRejection(.transportBadPrefix, decode("CIAUTH1:" + good.dropFirst(8)))
        expectRejection(.transportBadPrefix, decode(" " + good))
        expectRejection(.transportBadPrefix, decode("ciauth-approval-v1\nserver: x"))
        expectRejection(.transportBadPrefix, decode("-----BEGIN SSH SIGNATURE-----"))
        expectRejection(.transportBadStructure, decode("ciauth1:"))
        expectRejection(.transportBadStructure, decode("ciauth1:abcd"))
        expectRejection(.transportBadStructure, decode("ciauth1:abcd."))
        expectRejection(.transportBadStructure, decode("ciauth1:.abcd"))
        expectRejection(.transportBadStructure, decode(good + ".AAAA"))
        expectRejection(.transportBadBase64, decode(good + "="))
        expectRejection(.transportBadBase64, decode(good + "\n"))
        expectRejection(.transportBadBase64, decode(good.replacingOccurrences(of: ".", with: "+.")))
        expectRejection(.transportBadBase64, decode("ciauth1:Zh.AQID"))  // spare bits set
        let hugeStatement = ApprovalBase64URL.encode([UInt8](repeating: 0x61, count: ApprovalLimits.statementBytes + 1))
        expectRejection(.statementOversize, decode("ciauth1:" + hugeStatement + ".AQID"))
        let hugeSignature = ApprovalBase64URL.encode([UInt8](repeating: 0, count: ApprovalLimits.signatureBytes + 1))
        expectRejection(.transportOversize, decode("ciauth1:YQo." + hugeSignature))
    }

    @Test("rejection reasons map to their failure classes")
    func failureClasses() {
        #expect(ApprovalRejection.Reason.missingApproval.failureClass == .noApproval)
        #expect(ApprovalRejection.Reason.transportBadBase64.failureClass == .malformed)
        #expect(ApprovalRejection.Reason.signatureInvalid.failureClass == .badSignature)
        #expect(ApprovalRejection.Reason.keyExpired.failureClass == .unknownKey)
        #expect(ApprovalRejection.Reason.retriedJob.failureClass == .tampering)
        #expect(ApprovalRejection.Reason.userPresenceMissing.failureClass == .policy)
        #expect(Set(ApprovalRejection.Reason.allCases.map(\.rawValue)).count == ApprovalRejection.Reason.allCases.count)
    }

    @Test("the protocol document lists every rejection reason")
    func documented() throws {
        let document = try String(contentsOf: try Sample.repositoryRoot.appending(path: "docs/protocol.md"), encoding: .utf8)
        for reason in ApprovalRejection.Reason.allCases {
            #expect(document.contains("`\(reason.rawValue)`"), "docs/protocol.md does not mention \(reason.rawValue)")
        }
    }
}
