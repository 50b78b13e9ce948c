import Crypto
import Foundation

/// The fixed TEST attestation identity of every virtual key: a P-256 root CA and one
/// attestation certificate it signed (packed-attestation profile, WebAuthn §8.2.1: C, O,
/// OU "Authenticator Attestation", CN; basicConstraints CA:FALSE; no AAGUID extension, so a
/// configured --aaguid never contradicts the certificate). The private key is public on purpose:
/// nothing may ever trust this CA outside tests.
///
/// Produced once with OpenSSL 3.0:
/// `openssl ecparam -name prime256v1 -genkey -noout -out ca.key`;
/// `openssl req -x509 -new -key ca.key -sha256 -days 36500 -subj "/C=DE/O=ciauth TEST/OU=Virtual Key Test CA/CN=ciauth virtual key TEST attestation root" -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.pem`;
/// the same for att.key, a CSR with subject "/C=DE/O=ciauth TEST/OU=Authenticator Attestation/CN=ciauth virtual key TEST attestation",
/// signed with `openssl x509 -req -CA ca.pem -CAkey ca.key -days 36500` and extensions
/// `basicConstraints=critical,CA:FALSE`, `keyUsage=critical,digitalSignature`.
public enum TestAttestation {
    /// DER of the attestation certificate (first and only x5c entry).
    public static let certificateDER: [UInt8] = decode("MIICTTCCAfOgAwIBAgIUJJjzSrYl3C1d9xIbDiZBEwYcT8cwCgYIKoZIzj0EAwIwdDELMAkGA1UEBhMCREUxFDASBgNVBAoMC2NpYXV0aCBURVNUMRwwGgYDVQQLDBNWaXJ0dWFsIEtleSBUZXN0IENBMTEwLwYDVQQDDChjaWF1dGggdmlydHVhbCBrZXkgVEVTVCBhdHRlc3RhdGlvbiByb290MCAXDTI2MTEyODIxMjQzMloYDzIxMjYxMTA0MjEyNDMyWjB1MQswCQYDVQQGEwJERTEUMBIGA1UECgwLY2lhdXRoIFRFU1QxIjAgBgNVBAsMGUF1dGhlbnRpY2F0b3IgQXR0ZXN0YXRpb24xLDAqBgNVBAMMI2NpYXV0aCB2aXJ0dWFsIGtleSBURVNUIGF0dGVzdGF0aW9uMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEA4cG8zaBNoyKAasFUKGXgEMfmit/fEWHbI5ej4aF0h/y8nEDgwXdKV9H1oPYZ/WKrO27HVOJMUcitViUqfal46NgMF4wDAYDVR0TAQH/BAIwADAOBgNVHQ8BAf8EBAMCB4AwHQYDVR0OBBYEFAKdCpH4cd778gKkmX0iZ4CRhmnLMB8GA1UdIwQYMBaAFGmYilTmHWHNGVhBbYfGjV8IKxuaMAoGCCqGSM49BAMCA0gAMEUCIFURyuVPHUXrOerLZ7CQEH12T1ZpOlo/Tq9NWBrbCLH8AiEAoaJnPXkxxry0bGnbtSlL7/JEWbH8F6mZajv4RZAD31o=")

    /// DER of the root CA that signed it: the trust anchor a test verifier pins.
    public static let rootCertificateDER: [UInt8] = decode("MIICTjCCAfSgAwIBAgITAiUOtibNnrwOxxsR7tpLHLWZNzAKBggqhkjOPQQDAjB0MQswCQYDVQQGEwJERTEUMBIGA1UECgwLY2lhdXRoIFRFU1QxHDAaBgNVBAsME1ZpcnR1YWwgS2V5IFRlc3QgQ0ExMTAvBgNVBAMMKGNpYXV0aCB2aXJ0dWFsIGtleSBURVNUIGF0dGVzdGF0aW9uIHJvb3QwIBcNMjYxMTI4MjEyNDMxWhgPMjEyNjExMDQyMTI0MzFaMHQxCzAJBgNVBAYTAkRFMRQwEgYDVQQKDAtjaWF1dGggVEVTVDEcMBoGA1UECwwTVmlydHVhbCBLZXkgVGVzdCBDQTExMC8GA1UEAwwoY2lhdXRoIHZpcnR1YWwga2V5IFRFU1QgYXR0ZXN0YXRpb24gcm9vdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABPRKjdiHJP+BMvCE1oWhrOWs7SxDXW+k6ASEBLvFVxuXtDxrRVebdFVNvFUihsVf8Onje8+xAro8hisQNywJ8DajYzBhMB0GA1UdDgQWBBRpmIpU5h1hzRlYQW2Hxo1fCCsbmjAfBgNVHSMEGDAWgBRpmIpU5h1hzRlYQW2Hxo1fCCsbmjAPBgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwIBBjAKBggqhkjOPQQDAgNIADBFAiEAgTUDRE3DReBAM/BDLdaC6aMf30tKVSVaa9gggVP+THUCIAE/y77NMki2KxOv/1KAZUUbjb7f4Bbk8IRcQYBrkc6i")

    /// PEM of the root CA, for tools that want a file.
    public static var rootCertificatePEM: String {
        let base64 = Data(rootCertificateDER).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN CERTIFICATE-----\n\(base64)\n-----END CERTIFICATE-----\n"
    }

    static let privateKeyRaw: [UInt8] = hex("80f48f25ef859a8772a1f3ba5da208ef8dc5f7f8b3359c8ae0e1c3e45dd0b134")

    static func sign(_ message: [UInt8]) throws -> [UInt8] {
        Array(try P256.Signing.PrivateKey(rawRepresentation: privateKeyRaw).signature(for: message).derRepresentation)
    }

    private static func decode(_ base64: String) -> [UInt8] {
        Array(Data(base64Encoded: base64) ?? Data())
    }

    private static func hex(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex, let next = text.index(index, offsetBy: 2, limitedBy: text.endIndex) {
            bytes.append(UInt8(text[index..<next], radix: 16) ?? 0)
            index = next
        }
        return bytes
    }
}
