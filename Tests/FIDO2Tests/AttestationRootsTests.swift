import Foundation
import Testing

@testable import FIDO2

@Suite struct AttestationRootsTests {
    static func fixture(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
        return try Data(contentsOf: url)
    }

    static func roots(_ name: String) throws -> AttestationRoots {
        try AttestationRoots(pem: String(decoding: try fixture(name), as: UTF8.self))
    }

    @Test func leafChainsToItsRoot() throws {
        let leaf = Array(try Self.fixture("attestation-leaf.der"))
        #expect(try Self.roots("attestation-root.pem").verify(certificate: leaf) == .trusted)
    }

    @Test func leafDoesNotChainToAnotherRoot() throws {
        let leaf = Array(try Self.fixture("attestation-leaf.der"))
        guard case .untrusted(let reason) = try Self.roots("unrelated-root.pem").verify(certificate: leaf) else {
            Issue.record("an unrelated root was accepted")
            return
        }
        #expect(!reason.isEmpty)
    }

    @Test func oneOfSeveralRootsSuffices() throws {
        let both = String(decoding: try Self.fixture("unrelated-root.pem") + Self.fixture("attestation-root.pem"), as: UTF8.self)
        let leaf = Array(try Self.fixture("attestation-leaf.der"))
        #expect(try AttestationRoots(pem: both).verify(certificate: leaf) == .trusted)
    }

    @Test func malformedInputThrows() throws {
        let leaf = Array(try Self.fixture("attestation-leaf.der"))
        let roots = try Self.roots("attestation-root.pem")
        #expect(throws: FIDO2Error.self) { try roots.verify(certificate: Array(leaf.dropLast())) }
        #expect(throws: FIDO2Error.self) { try roots.verify(certificate: leaf + [0]) }
        #expect(throws: FIDO2Error.self) { try roots.verify(certificate: []) }
        #expect(throws: FIDO2Error.self) { try AttestationRoots(pem: "not a certificate") }
        let garbage = try AttestationRoots(pem: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
        #expect(throws: FIDO2Error.self) { try garbage.verify(certificate: leaf) }
    }
}
