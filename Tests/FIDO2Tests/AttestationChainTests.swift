import Foundation
import Testing

@testable import FIDO2

/// Attestation chains as many real keys send them: x5c = [attestation certificate, intermediate].
/// libfido2 1.12 keeps only x5c[0]; ciauth reads the rest from the statement. Real libfido2
/// against the virtual key's `packed-chain` and `packed-broken-chain` modes.
@Suite struct AttestationChainTests {
    static func vendorRoot() async throws -> AttestationRoots {
        try AttestationRoots(pem: try await VirtualKeyProcess.attestationRootPEM(["--attestation", "packed-chain"]))
    }

    @Test func aVendorRootAcceptsLeafPlusIntermediate() async throws {
        let key = try await VirtualKeyProcess(["--attestation", "packed-chain"])
        defer { key.stop() }
        let device = try await FIDO2Device.open(key.address)
        let credential = try await device.makeCredential(Sample.credentialRequest(roots: try await Self.vendorRoot()))
        #expect(credential.attestation.trust == .certificateTrusted)
        let statement = try AttestationStatement.parse(credential.attestation.statementCBOR)
        #expect(statement.certificates.count == 2)
        #expect(statement.certificates.first == credential.attestation.certificate)
    }

    @Test func anImpostorIntermediateIsRejected() async throws {
        let key = try await VirtualKeyProcess(["--attestation", "packed-broken-chain"])
        defer { key.stop() }
        let device = try await FIDO2Device.open(key.address)
        let roots = try await Self.vendorRoot()
        let error = await expectFIDO2Error(.attestationRejected) { () async throws(FIDO2Error) in
            try await device.makeCredential(Sample.credentialRequest(roots: roots))
        }
        #expect(error?.message.contains("not issued by a trusted root") == true)
        // Without roots the signature still verifies (libfido2 checks it with x5c[0]).
        let unchecked = try await device.makeCredential(Sample.credentialRequest())
        #expect(unchecked.attestation.trust == .certificateNotChecked)
    }

    @Test func theVendorRootDoesNotTrustTheOtherTestHierarchy() async throws {
        let key = try await VirtualKeyProcess(["--attestation", "packed"])
        defer { key.stop() }
        let device = try await FIDO2Device.open(key.address)
        let roots = try await Self.vendorRoot()
        await expectFIDO2Error(.attestationRejected) { () async throws(FIDO2Error) in
            try await device.makeCredential(Sample.credentialRequest(roots: roots))
        }
    }
}

/// The strict reader of the statement's CBOR.
@Suite struct AttestationStatementTests {
    /// {"alg": -7, "sig": h'01', "x5c": [h'AA', h'BBBB']}
    static let valid: [UInt8] = [
        0xa3, 0x63, 0x61, 0x6c, 0x67, 0x26, 0x63, 0x73, 0x69, 0x67, 0x41, 0x01,
        0x63, 0x78, 0x35, 0x63, 0x82, 0x41, 0xaa, 0x42, 0xbb, 0xbb,
    ]

    @Test func readsEveryCertificateInOrder() throws {
        #expect(try AttestationStatement.parse(Self.valid).certificates == [[0xaa], [0xbb, 0xbb]])
    }

    @Test func refusesMalformedStatements() {
        var duplicate = Self.valid
        duplicate[0] = 0xa4
        duplicate += [0x63, 0x61, 0x6c, 0x67, 0x26]  // "alg" again
        var indefinite = Self.valid
        indefinite[16] = 0x9f  // x5c as an indefinite array
        var longForm = Self.valid
        longForm.replaceSubrange(17...18, with: [0x58, 0x01, 0xaa])  // h'AA' with a one-byte length
        var emptyList = Array(Self.valid.prefix(16))
        emptyList[0] = 0xa3
        emptyList.append(0x80)
        let cases: [(String, [UInt8])] = [
            ("truncated", Array(Self.valid.dropLast())),
            ("trailing byte", Self.valid + [0x00]),
            ("duplicate member", duplicate),
            ("indefinite length", indefinite),
            ("length not in shortest form", longForm),
            ("empty x5c", emptyList),
            ("not a map", [0x80]),
            ("tagged value", [0xa1, 0x63, 0x61, 0x6c, 0x67, 0xc1, 0x00]),
            ("integer key", [0xa1, 0x01, 0x00]),
            ("length beyond the input", [0xa1, 0x63, 0x78, 0x35, 0x63, 0x81, 0x5a, 0xff, 0xff, 0xff, 0xff]),
        ]
        for (name, bytes) in cases {
            #expect(throws: FIDO2Error.self, "\(name)") { try AttestationStatement.parse(bytes) }
        }
    }

    @Test func refusesMoreThanEightCertificates() {
        var bytes: [UInt8] = [0xa1, 0x63, 0x78, 0x35, 0x63, 0x89]
        for _ in 0..<9 { bytes += [0x41, 0xaa] }
        #expect(throws: FIDO2Error.self) { try AttestationStatement.parse(bytes) }
    }
}
