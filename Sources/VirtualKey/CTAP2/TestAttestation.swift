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

    /// A second, vendor-like hierarchy for `--attestation packed-chain`: root → intermediate →
    /// attestation certificate, so x5c carries leaf + intermediate as many real keys send it.
    /// Made like the above, with `subjectKeyIdentifier=hash`, `authorityKeyIdentifier=keyid`, the
    /// intermediate `CA:TRUE, pathlen:0` (subject "…/CN=ciauth virtual key TEST vendor intermediate").
    public static let chainRootCertificateDER: [UInt8] = decode("MIICUzCCAfmgAwIBAgIUT+xLd4/V00RE9ADbSuMKkg7sggMwCgYIKoZIzj0EAwIwdjELMAkGA1UEBhMCREUxFDASBgNVBAoMC2NpYXV0aCBURVNUMSMwIQYDVQQLDBpWaXJ0dWFsIEtleSBUZXN0IFZlbmRvciBDQTEsMCoGA1UEAwwjY2lhdXRoIHZpcnR1YWwga2V5IFRFU1QgdmVuZG9yIHJvb3QwIBcNMjYxMjA2MjM0OTQzWhgPMjEyNjExMTIyMzQ5NDNaMHYxCzAJBgNVBAYTAkRFMRQwEgYDVQQKDAtjaWF1dGggVEVTVDEjMCEGA1UECwwaVmlydHVhbCBLZXkgVGVzdCBWZW5kb3IgQ0ExLDAqBgNVBAMMI2NpYXV0aCB2aXJ0dWFsIGtleSBURVNUIHZlbmRvciByb290MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAERxNEiY821HjLj8lrtgAI8OvMFKRpdlCxPfkICdYBXv3FrD9ByunLgVH2BsgSTHGcmt5biTsa8l7QMg4PW4qQCqNjMGEwHQYDVR0OBBYEFAXcXrNUfb7SoGeZz7bOi+dmSq+aMB8GA1UdIwQYMBaAFAXcXrNUfb7SoGeZz7bOi+dmSq+aMA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0PAQH/BAQDAgEGMAoGCCqGSM49BAMCA0gAMEUCIQCP10sNxfz5BWy/mYZIK3/zqONEiNc69SfTfyBLr50DugIgYWimSt+vbYbTTQ2SmXZnvjqUPMB+UD0c80CJVgdcTf4=")

    public static let chainIntermediateCertificateDER: [UInt8] = decode("MIICXjCCAgSgAwIBAgIUchcXOVa4nEgP4LM4BwQ/kQ8nGZMwCgYIKoZIzj0EAwIwdjELMAkGA1UEBhMCREUxFDASBgNVBAoMC2NpYXV0aCBURVNUMSMwIQYDVQQLDBpWaXJ0dWFsIEtleSBUZXN0IFZlbmRvciBDQTEsMCoGA1UEAwwjY2lhdXRoIHZpcnR1YWwga2V5IFRFU1QgdmVuZG9yIHJvb3QwIBcNMjYxMjA2MjM0OTQzWhgPMjEyNjExMTIyMzQ5NDNaMH4xCzAJBgNVBAYTAkRFMRQwEgYDVQQKDAtjaWF1dGggVEVTVDEjMCEGA1UECwwaVmlydHVhbCBLZXkgVGVzdCBWZW5kb3IgQ0ExNDAyBgNVBAMMK2NpYXV0aCB2aXJ0dWFsIGtleSBURVNUIHZlbmRvciBpbnRlcm1lZGlhdGUwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAR3DXZExs9JElAQ9FXOQjHHd1MraXQ5rTWsqHYtPJTZ+sv3R+D6OdD74i178ulmyEZH5rqC6iKcR+PfNwE4MDMbo2YwZDASBgNVHRMBAf8ECDAGAQH/AgEAMA4GA1UdDwEB/wQEAwIBBjAdBgNVHQ4EFgQUFu7SYNoesF+LpndFJa6SKuQzd90wHwYDVR0jBBgwFoAUBdxes1R9vtKgZ5nPts6L52ZKr5owCgYIKoZIzj0EAwIDSAAwRQIgHhWBLgkp4BxfQVXnSW8IkpCjwuee14vWKOhR/hPpOgQCIQDJxtFS/t+juvZo47qZYrKKhO9ftAMi60hvdp/NgNkewg==")

    /// Same subject as the intermediate, issued by the same root, but its own key: the leaf's
    /// signature does not verify with it (`--attestation packed-broken-chain`).
    public static let chainImpostorIntermediateCertificateDER: [UInt8] = decode("MIICXzCCAgSgAwIBAgIUchcXOVa4nEgP4LM4BwQ/kQ8nGZQwCgYIKoZIzj0EAwIwdjELMAkGA1UEBhMCREUxFDASBgNVBAoMC2NpYXV0aCBURVNUMSMwIQYDVQQLDBpWaXJ0dWFsIEtleSBUZXN0IFZlbmRvciBDQTEsMCoGA1UEAwwjY2lhdXRoIHZpcnR1YWwga2V5IFRFU1QgdmVuZG9yIHJvb3QwIBcNMjYxMjA2MjM0OTQzWhgPMjEyNjExMTIyMzQ5NDNaMH4xCzAJBgNVBAYTAkRFMRQwEgYDVQQKDAtjaWF1dGggVEVTVDEjMCEGA1UECwwaVmlydHVhbCBLZXkgVGVzdCBWZW5kb3IgQ0ExNDAyBgNVBAMMK2NpYXV0aCB2aXJ0dWFsIGtleSBURVNUIHZlbmRvciBpbnRlcm1lZGlhdGUwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASohe3bZkfK9BeexjqGwp80MXPEW0/TI1s7YTF53TdBDsVbyvCWv7zgOjW8Oc5+t9IIbZ1UbPrn5u1StSdi7oDao2YwZDASBgNVHRMBAf8ECDAGAQH/AgEAMA4GA1UdDwEB/wQEAwIBBjAdBgNVHQ4EFgQUuvIH7r+/ELn9uSXsvB59mhe0mOowHwYDVR0jBBgwFoAUBdxes1R9vtKgZ5nPts6L52ZKr5owCgYIKoZIzj0EAwIDSQAwRgIhAOPQ65+Pfqzrms+mbvNP2m9jmFc9SNIzarZyC9DapMAEAiEA57vSZmj16x4aqhq/gSAWwxPkys/iKP7wXAsFFvAayXs=")

    /// The attestation certificate the intermediate signed (x5c[0] of the chain modes).
    public static let chainCertificateDER: [UInt8] = decode("MIICXzCCAgWgAwIBAgIUcPfT1tjXrh/Tfu2KzpCWO/zZb3AwCgYIKoZIzj0EAwIwfjELMAkGA1UEBhMCREUxFDASBgNVBAoMC2NpYXV0aCBURVNUMSMwIQYDVQQLDBpWaXJ0dWFsIEtleSBUZXN0IFZlbmRvciBDQTE0MDIGA1UEAwwrY2lhdXRoIHZpcnR1YWwga2V5IFRFU1QgdmVuZG9yIGludGVybWVkaWF0ZTAgFw0yNjEyMDYyMzQ5NDNaGA8yMTI2MTExMjIzNDk0M1owfTELMAkGA1UEBhMCREUxFDASBgNVBAoMC2NpYXV0aCBURVNUMSIwIAYDVQQLDBlBdXRoZW50aWNhdG9yIEF0dGVzdGF0aW9uMTQwMgYDVQQDDCtjaWF1dGggdmlydHVhbCBrZXkgVEVTVCBjaGFpbmVkIGF0dGVzdGF0aW9uMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAERQMsCkdgEq6SF2iJVlnnYGPT+FqzwciEIOWb1opJEawT8mAVnAx0Z44zfnaqq7LY8mjUB1atzuoiXcc9wFPrb6NgMF4wDAYDVR0TAQH/BAIwADAOBgNVHQ8BAf8EBAMCB4AwHQYDVR0OBBYEFGhH9GfBoWLdDtmOJ50YCJLdEcTRMB8GA1UdIwQYMBaAFBbu0mDaHrBfi6Z3RSWukirkM3fdMAoGCCqGSM49BAMCA0gAMEUCIG1z5o0W9sGtCAB0HLCD2JKYk58vSZZVRkq6DXQYAz8jAiEA3hKKW5WGEYdorbMecQIrNTt2DuNxme46DFBh6pB5JJc=")

    static let chainPrivateKeyRaw: [UInt8] = hex("00469d9e518d8a09daaf8c5b3d892e91994bd4e531873d56b480f329cd4c5100")

    public static var chainRootCertificatePEM: String { pem(chainRootCertificateDER) }

    /// PEM of the root CA, for tools that want a file.
    public static var rootCertificatePEM: String { pem(rootCertificateDER) }

    private static func pem(_ der: [UInt8]) -> String {
        let base64 = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN CERTIFICATE-----\n\(base64)\n-----END CERTIFICATE-----\n"
    }

    static let privateKeyRaw: [UInt8] = hex("80f48f25ef859a8772a1f3ba5da208ef8dc5f7f8b3359c8ae0e1c3e45dd0b134")

    static func sign(_ message: [UInt8], key: [UInt8] = privateKeyRaw) throws -> [UInt8] {
        Array(try P256.Signing.PrivateKey(rawRepresentation: key).signature(for: message).derRepresentation)
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
