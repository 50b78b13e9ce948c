/// An OpenSSH security-key signature (PROTOCOL.u2f): the authenticator's signature plus the
/// authenticator-data flags and signature counter it signed.
public struct SKSignature: Hashable, Sendable {
    public enum Value: Hashable, Sendable {
        /// r and s as unsigned big-endian magnitudes without leading zeros, 0 < r, s < n.
        case ecdsaP256(r: [UInt8], s: [UInt8])
        /// 64-byte Ed25519 signature R || S with S < L.
        case ed25519([UInt8])
    }

    public let value: Value
    /// Authenticator data flags (0x01 user present, 0x04 user verified, 0x80 extension data).
    public let flags: UInt8
    /// Authenticator signature counter.
    public let counter: UInt32

    public static let userPresentFlag: UInt8 = 0x01
    public static let userVerifiedFlag: UInt8 = 0x04

    public var keyType: SKKeyType {
        switch value {
        case .ecdsaP256: .ecdsaP256
        case .ed25519: .ed25519
        }
    }

    public var isUserPresent: Bool { flags & SKSignature.userPresentFlag != 0 }
    public var isUserVerified: Bool { flags & SKSignature.userVerifiedFlag != 0 }

    /// From an authenticator's ECDSA output: r and s as unsigned big-endian bytes (leading zeros
    /// allowed, e.g. fixed 32-byte values or DER INTEGER bodies).
    public init(ecdsaR r: some Collection<UInt8>, s: some Collection<UInt8>, flags: UInt8, counter: UInt32) throws(SSHSigError) {
        let trimmedR = Array(r.drop { $0 == 0 })
        let trimmedS = Array(s.drop { $0 == 0 })
        guard CurveConstants.isValidP256Scalar(trimmedR), CurveConstants.isValidP256Scalar(trimmedS) else {
            throw .signatureScalarOutOfRange
        }
        self.value = .ecdsaP256(r: trimmedR, s: trimmedS)
        self.flags = flags
        self.counter = counter
    }

    /// From an authenticator's 64-byte Ed25519 signature.
    public init(ed25519 signature: some Collection<UInt8>, flags: UInt8, counter: UInt32) throws(SSHSigError) {
        let bytes = Array(signature)
        guard bytes.count == 64 else { throw .invalidSignatureLength(expected: 64, found: bytes.count) }
        guard CurveConstants.isLessThan(littleEndian: Array(bytes[32...]), CurveConstants.ed25519OrderLE) else {
            throw .nonCanonicalEd25519Signature
        }
        self.value = .ed25519(bytes)
        self.flags = flags
        self.counter = counter
    }

    /// r || s as two 32-byte big-endian values (swift-crypto's raw representation).
    var ecdsaRawRepresentation: [UInt8]? {
        guard case .ecdsaP256(let r, let s) = value else { return nil }
        func padded(_ magnitude: [UInt8]) -> [UInt8] { [UInt8](repeating: 0, count: 32 - magnitude.count) + magnitude }
        return padded(r) + padded(s)
    }
}

// MARK: - Wire encoding

extension SKSignature {
    /// PROTOCOL.u2f: string type, string signature, byte flags, uint32 counter, where the
    /// signature is `mpint r || mpint s` for ECDSA and the raw 64 bytes for Ed25519.
    public var sshWireEncoded: [UInt8] {
        var writer = SSHWriter()
        writer.writeString(keyType.rawValue)
        switch value {
        case .ecdsaP256(let r, let s):
            var inner = SSHWriter()
            inner.writePositiveMPInt(r)
            inner.writePositiveMPInt(s)
            writer.writeString(inner.bytes)
        case .ed25519(let signature):
            writer.writeString(signature)
        }
        writer.writeByte(flags)
        writer.writeUInt32(counter)
        return writer.bytes
    }

    public init(sshWireEncoded bytes: some Collection<UInt8>) throws(SSHSigError) {
        var reader = SSHReader(Array(bytes))
        let type = try SKKeyType(name: try reader.readText(field: "signature type"))
        let signature = try reader.readString()
        let flags = try reader.readByte()
        let counter = try reader.readUInt32()
        try reader.finish()
        switch type {
        case .ecdsaP256:
            var inner = SSHReader(signature)
            let r = try inner.readPositiveMPInt()
            let s = try inner.readPositiveMPInt()
            try inner.finish()
            try self.init(ecdsaR: r, s: s, flags: flags, counter: counter)
        case .ed25519:
            try self.init(ed25519: signature, flags: flags, counter: counter)
        }
    }
}
