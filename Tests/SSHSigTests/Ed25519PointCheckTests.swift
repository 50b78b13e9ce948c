import Crypto
import Testing
@testable import SSHSig

/// The Ed25519 point decoding check against vectors computed independently (Python, Euler's
/// criterion over the RFC 8032 curve equation), and against keys swift-crypto generates.
@Suite struct Ed25519PointCheckTests {
    static let onCurve = [
        "d059b602918b0ad09a678dca158abe50e7c516a011aa8043cab59935bcb6ea63",
        "af7503196f015b780b9b84574543b67cc1cb0f3e4d71638831937695a24c515d",
        "b7bcf3a6656c3743a57f03bd1bd347a048ea0cc19729a6f9d48507aeaf7b5a3a",
        "3f3e040669f51e3cbebfe9352b46ebf4a333cca22cf1a9040a2fb9662efedc7d",
        "52c0cb77f6c5c1f2bae508d7bfaf3a7e4e8a3a18d5cb52554f2d01384e4a6735",
        "ebde534a32753c3b6d74a24e154ead08abbd90109c029ab8654b8d452363d585",
        "3d67a32be1729785647e324f343463a0b9e75b367442ca3a6b72aff335e38c8a",
        "4f2d06b4ec037b1221f0872a778e0354af5f0940e0721802bd5c30411b5e7e05",
        "6704f8fda212051724bb766744c1edb2f08cb93227a0eb640bec413ca748d688",
        "6e37e88721ca45532b51e362b4a1c5fa7ea32427e07e3d4eab29b9eaf97a1444",
        "448b5051c0361fb3e3d0d3a8d26e47d2138b8006e297c78e78f42eb927bca6bb",
        "fd6c81fbe54da916ed8a7a83a1d9014ab17eb77f962bd03d3b31baa6a54cd38a",
    ]

    static let offCurve = [
        "e23016806400ce3fbdbe66818834f11fe62202abbd879927b867888a538f56aa",
        "8f4c7a4c3b557db9338e6193703a01f7fa98b4a498b1339cb4deef4ccd7b2cc5",
        "346a3a3e5507b726c94d7bd718acf3473147a7abfc0a0f5aeb52ff517ae3b29e",
        "b2c8ce98fcb04367f2eb35ad3d0ecc78b257a26cca75919a84d5ab8824ec5762",
        "8130da0ee588606ce8eebb763c38070cb8ef9f30e4e447b1db6b1818997e8cd1",
        "0033c42cb1f7d12298c8c90ecfe865bf3cc3d403c3cf057a4600fca015bd81f8",
        "4eeab059f39b24f2f6ad1856c578eb304e58cfb6c54d4028b2268b12d064ceb9",
        "c1e8ad851bc61cd4f0c3f04124d946fbde836f0f7b3267db81d167e9aca597a4",
        "b1de3d1c42f37d8b50a69187ef154e1da8723c617e3f1495b4858f56f94dc28a",
        "b0c17c7df9845bbfad4df6f8c4733dd574830475dbb6e05912c601629c914d99",
        "abb636988cc358c21d7602d4eb67604231980d12b93f668f2d85ecea56a67ca3",
        "56d0b9cc44c6444917d0513755606126842086ffcdef8f911b67182fda30c1f6",
    ]

    static func bytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count, by: 2).compactMap { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16) }
    }

    @Test(arguments: onCurve)
    func pointsOnTheCurveAreAccepted(hex: String) throws {
        #expect(Ed25519PointCheck.isOnCurve(Self.bytes(hex)))
        #expect(try SKPublicKey(ed25519: Self.bytes(hex), application: "ssh:").keyType == .ed25519)
    }

    @Test(arguments: offCurve)
    func pointsOffTheCurveAreRefused(hex: String) {
        #expect(!Ed25519PointCheck.isOnCurve(Self.bytes(hex)))
        #expect(throws: SSHSigError.invalidPoint) { try SKPublicKey(ed25519: Self.bytes(hex), application: "ssh:") }
    }

    @Test func generatedKeysAreAccepted() {
        for _ in 0..<200 {
            let key = Array(Curve25519.Signing.PrivateKey().publicKey.rawRepresentation)
            #expect(Ed25519PointCheck.isOnCurve(key))
        }
    }

    @Test func fieldArithmeticBasics() {
        let two = FieldElement.one + .one
        #expect(two * two == two + two)
        #expect(FieldElement.one - .one == .zero)
        #expect(FieldElement.zero - .one + .one == .zero)
        // 2^(p-1) = 1 (Fermat); p - 1 = 2^255 - 20, little-endian.
        #expect(two.power(littleEndianExponent: [0xEC] + [UInt8](repeating: 0xFF, count: 30) + [0x7F]) == .one)
    }
}
