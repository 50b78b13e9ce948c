import Crypto

extension SKSignature {
    /// From an ES256 assertion signature in DER (`SEQUENCE { INTEGER r, INTEGER s }`, what libfido2's
    /// `fido_assert_sig_ptr` returns). BoringSSL parses it strictly (no BER, no trailing bytes).
    public init(ecdsaDER der: some Collection<UInt8>, flags: UInt8, counter: UInt32) throws(SSHSigError) {
        guard let signature = try? P256.Signing.ECDSASignature(derRepresentation: Array(der)) else {
            throw .invalidDERSignature
        }
        let raw = Array(signature.rawRepresentation)
        try self.init(ecdsaR: raw[..<32], s: raw[32...], flags: flags, counter: counter)
    }
}
