import CFIDO2Loader

/// Trusted attestation roots (PEM certificates), e.g. a vendor's FIDO attestation CA.
public struct AttestationRoots: Sendable, Equatable {
    public let pem: String

    public init(pem: String) throws(FIDO2Error) {
        guard pem.contains("-----BEGIN CERTIFICATE-----") else {
            throw FIDO2Error(.invalidRequest, "The attestation roots contain no PEM certificate.")
        }
        self.pem = pem
    }

    public enum ChainResult: Sendable, Equatable {
        case trusted
        case untrusted(reason: String)
    }

    /// Checks that a DER certificate chains to one of the roots (OpenSSL's verifier, partial
    /// chains allowed so that an intermediate may be pinned). Malformed input throws.
    public func verify(certificate: [UInt8]) throws(FIDO2Error) -> ChainResult {
        try verify(chain: [certificate])
    }

    /// Checks an attestation chain as the key sent it (x5c: leaf first, then intermediates, which
    /// help build the path but are not trusted themselves). Malformed input throws.
    public func verify(chain: [[UInt8]]) throws(FIDO2Error) -> ChainResult {
        try FIDO2Library.require()
        guard chain.allSatisfy({ !$0.isEmpty }) else {
            throw FIDO2Error(.attestationRejected, "The attestation certificate is not valid DER X.509.")
        }
        var detail: Int32 = 0
        let joined = chain.flatMap { $0 }
        let result = joined.withUnsafeBufferPointer { certificates in
            pem.withCString { roots in
                ciauth_x509_verify_chain(
                    certificates.baseAddress, certificates.count, chain.count, roots, pem.utf8.count, &detail)
            }
        }
        switch result {
        case CIAUTH_X509_TRUSTED:
            return .trusted
        case CIAUTH_X509_UNTRUSTED:
            return .untrusted(reason: String(cString: ciauth_x509_error_string(detail)))
        case CIAUTH_X509_BAD_LEAF:
            throw FIDO2Error(.attestationRejected, "The attestation certificate is not valid DER X.509.")
        case CIAUTH_X509_BAD_ROOTS:
            throw FIDO2Error(.invalidRequest, "None of the attestation roots could be read as a PEM certificate.")
        default:
            throw FIDO2Error(.internalError, "Certificate verification failed inside OpenSSL.", call: "X509_verify_cert")
        }
    }
}
