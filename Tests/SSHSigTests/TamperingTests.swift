import Testing
@testable import SSHSig

/// A well-formed signature that must not verify, and the reason the verifier must give.
struct TamperCase: Sendable, CustomTestStringConvertible {
    let name: String
    let expected: VerificationFailure
    let key: SoftwareSecurityKey
    /// Makes (signature, message, namespace) from a valid signature over `B.message` in "ciauth".
    let tamper: @Sendable (SSHSignature, SoftwareSecurityKey) throws -> (SSHSignature, [UInt8], String)

    var testDescription: String { name }
}

extension SSHSignature {
    func replacing(publicKey: SKPublicKey? = nil, hashAlgorithm: SSHSigHashAlgorithm? = nil, signature: SKSignature? = nil) throws -> SSHSignature {
        try SSHSignature(publicKey: publicKey ?? self.publicKey, namespace: namespace, hashAlgorithm: hashAlgorithm ?? self.hashAlgorithm, signature: signature ?? self.signature)
    }
}

extension SKSignature {
    func replacing(flags: UInt8? = nil, counter: UInt32? = nil) throws -> SKSignature {
        switch value {
        case .ecdsaP256(let r, let s): try SKSignature(ecdsaR: r, s: s, flags: flags ?? self.flags, counter: counter ?? self.counter)
        case .ed25519(let bytes): try SKSignature(ed25519: bytes, flags: flags ?? self.flags, counter: counter ?? self.counter)
        }
    }

    /// The same signature with bit 0 of byte `index` of the signature value flipped.
    func flippingSignatureBit(at index: Int) throws -> SKSignature {
        switch value {
        case .ecdsaP256(let r, let s):
            var flipped = r
            flipped[index] ^= 1
            return try SKSignature(ecdsaR: flipped, s: s, flags: flags, counter: counter)
        case .ed25519(var bytes):
            bytes[index] ^= 1
            return try SKSignature(ed25519: bytes, flags: flags, counter: counter)
        }
    }
}

enum TamperCases {
    static func cases(for key: SoftwareSecurityKey, label: String) -> [TamperCase] {
        [
            TamperCase(name: "\(label): other namespace", expected: .namespaceMismatch(expected: "git", found: "ciauth"), key: key) { signature, _ in
                (signature, B.message, "git")
            },
            TamperCase(name: "\(label): flipped message bit", expected: .signatureMismatch, key: key) { signature, _ in
                var message = B.message
                message[3] ^= 0x04
                return (signature, message, "ciauth")
            },
            TamperCase(name: "\(label): message extended", expected: .signatureMismatch, key: key) { signature, _ in
                (signature, B.message + [0x20], "ciauth")
            },
            TamperCase(name: "\(label): flipped signature bit", expected: .signatureMismatch, key: key) { signature, _ in
                (try signature.replacing(signature: try signature.signature.flippingSignatureBit(at: 5)), B.message, "ciauth")
            },
            TamperCase(name: "\(label): user-verified flag added", expected: .signatureMismatch, key: key) { signature, _ in
                (try signature.replacing(signature: try signature.signature.replacing(flags: 0x05)), B.message, "ciauth")
            },
            TamperCase(name: "\(label): counter changed", expected: .signatureMismatch, key: key) { signature, _ in
                (try signature.replacing(signature: try signature.signature.replacing(counter: 8)), B.message, "ciauth")
            },
            TamperCase(name: "\(label): hash algorithm relabelled", expected: .signatureMismatch, key: key) { signature, _ in
                (try signature.replacing(hashAlgorithm: .sha256), B.message, "ciauth")
            },
            TamperCase(name: "\(label): other key", expected: .signatureMismatch, key: key) { signature, key in
                let other = key.privateKey.isP256 ? SoftwareSecurityKey.p256() : SoftwareSecurityKey.ed25519()
                return (try signature.replacing(publicKey: try other.publicKey), B.message, "ciauth")
            },
            TamperCase(name: "\(label): no touch", expected: .userPresenceMissing, key: key) { _, key in
                (try key.sshSignature(message: B.message, namespace: "ciauth", flags: 0x00), B.message, "ciauth")
            },
            TamperCase(name: "\(label): signed in other namespace, relabelled", expected: .signatureMismatch, key: key) { _, key in
                let git = try key.sshSignature(message: B.message, namespace: "git")
                return (try SSHSignature(publicKey: git.publicKey, namespace: "ciauth", hashAlgorithm: git.hashAlgorithm, signature: git.signature), B.message, "ciauth")
            },
        ]
    }

    static let all = cases(for: .p256(), label: "P-256") + cases(for: .ed25519(), label: "Ed25519")
}

extension SoftwareSecurityKey.PrivateKey {
    var isP256: Bool {
        if case .p256 = self { return true }
        return false
    }
}

@Suite struct TamperingTests {
    @Test(arguments: TamperCases.all)
    func tamperedSignatureIsRefusedWithItsReason(_ input: TamperCase) throws {
        let valid = try input.key.sshSignature(message: B.message, namespace: "ciauth")
        #expect(SSHSigVerifier().verify(signature: valid, message: B.message, namespace: "ciauth").isValid)
        let (signature, message, namespace) = try input.tamper(valid, input.key)
        #expect(SSHSigVerifier().verify(signature: signature, message: message, namespace: namespace).failure == input.expected)
    }

    /// Every single-bit flip of a valid envelope is either rejected as malformed or fails to verify,
    /// and every truncation is rejected; nothing crashes and nothing verifies.
    @Test(arguments: [SoftwareSecurityKey.p256(), SoftwareSecurityKey.ed25519()])
    func everyBitFlipAndTruncationIsRejected(key: SoftwareSecurityKey) throws {
        let bytes = try key.sshSignature(message: B.message, namespace: "ciauth").sshWireEncoded
        var verified = 0
        for index in bytes.indices {
            for bit in 0..<8 {
                var flipped = bytes
                flipped[index] ^= UInt8(1) << bit
                guard let signature = try? SSHSignature(sshWireEncoded: flipped) else { continue }
                if SSHSigVerifier().verify(signature: signature, message: B.message, namespace: "ciauth").isValid { verified += 1 }
            }
        }
        #expect(verified == 0)
        for length in 0..<bytes.count {
            #expect(throws: SSHSigError.self) { try SSHSignature(sshWireEncoded: bytes.prefix(length)) }
        }
    }
}
