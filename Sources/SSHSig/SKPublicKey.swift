import Crypto

/// An OpenSSH FIDO security-key public key: the authenticator's public key plus the FIDO
/// application (relying party id) it was created for, e.g. "ssh:ciauth".
public struct SKPublicKey: Hashable, Sendable {
    public enum KeyMaterial: Hashable, Sendable {
        /// SEC1 uncompressed point 0x04 || X || Y, validated on the curve.
        case ecdsaP256(point: [UInt8])
        /// 32-byte Ed25519 public key.
        case ed25519([UInt8])
    }

    public let material: KeyMaterial
    public let application: String

    public var keyType: SKKeyType {
        switch material {
        case .ecdsaP256: .ecdsaP256
        case .ed25519: .ed25519
        }
    }

    public init(ecdsaP256Point point: [UInt8], application: String) throws(SSHSigError) {
        guard point.count == 65 else { throw .invalidKeyLength(expected: 65, found: point.count) }
        guard point[0] == 0x04, (try? P256.Signing.PublicKey(x963Representation: point)) != nil else {
            throw .invalidPoint
        }
        try self.init(material: .ecdsaP256(point: point), application: application)
    }

    /// From the 64-byte X || Y form libfido2 returns for an ES256 credential (`es256_pk_t`).
    public init(ecdsaP256RawXY coordinates: [UInt8], application: String) throws(SSHSigError) {
        guard coordinates.count == 64 else { throw .invalidKeyLength(expected: 64, found: coordinates.count) }
        try self.init(ecdsaP256Point: [0x04] + coordinates, application: application)
    }

    public init(ed25519 key: [UInt8], application: String) throws(SSHSigError) {
        guard key.count == 32 else { throw .invalidKeyLength(expected: 32, found: key.count) }
        guard CurveConstants.isAcceptableEd25519Key(key) else { throw .weakEd25519Key }
        guard Ed25519PointCheck.isOnCurve(key) else { throw .invalidPoint }
        try self.init(material: .ed25519(key), application: application)
    }

    private init(material: KeyMaterial, application: String) throws(SSHSigError) {
        guard SSHText.isPrintable(application) else { throw .invalidText(field: "application") }
        self.material = material
        self.application = application
    }
}

// MARK: - Wire encoding

extension SKPublicKey {
    /// PROTOCOL.u2f "sk-ecdsa-sha2-nistp256@openssh.com": string type, string "nistp256",
    /// string Q, string application. "sk-ssh-ed25519@openssh.com": string type, string key,
    /// string application.
    public var sshWireEncoded: [UInt8] {
        var writer = SSHWriter()
        write(to: &writer)
        return writer.bytes
    }

    public init(sshWireEncoded bytes: some Collection<UInt8>) throws(SSHSigError) {
        var reader = SSHReader(Array(bytes))
        self = try SKPublicKey.read(from: &reader)
        try reader.finish()
    }

    func write(to writer: inout SSHWriter) {
        writer.writeString(keyType.rawValue)
        switch material {
        case .ecdsaP256(let point):
            writer.writeString("nistp256")
            writer.writeString(point)
        case .ed25519(let key):
            writer.writeString(key)
        }
        writer.writeString(application)
    }

    static func read(from reader: inout SSHReader) throws(SSHSigError) -> SKPublicKey {
        let type = try SKKeyType(name: try reader.readText(field: "key type"))
        switch type {
        case .ecdsaP256:
            let curve = try reader.readText(field: "curve name")
            guard curve == "nistp256" else { throw .unsupportedCurve(curve) }
            let point = Array(try reader.readString())
            return try SKPublicKey(ecdsaP256Point: point, application: try reader.readText(field: "application"))
        case .ed25519:
            let key = Array(try reader.readString())
            return try SKPublicKey(ed25519: key, application: try reader.readText(field: "application"))
        }
    }
}
