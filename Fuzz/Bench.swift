// Times what `ciauth verify` does per approval: parse an armored SSHSIG signature and verify it
// over an approval-sized statement, for both key types. Compiled with Sources/SSHSig by bench.sh.
import Crypto
import Foundation

@main
struct SSHSigBench {
    static let statement = Array((["ciauth-approval v1", "server https://gitlab.example.com", "project 1234 acme/payments",
        "pipeline 987654", "job 4711 deploy-production", "ref refs/heads/main", "sha 0123456789abcdef0123456789abcdef01234567",
        "environment production", "approver alice", "issued-at 2026-11-28T21:00:00Z", "expires-at 2026-11-28T22:00:00Z",
        "nonce 4f1d2c3b4a5968778695a4b3c2d1e0ff", "reason release 2026.11"].joined(separator: "\n") + "\n").utf8)

    static func main() throws {
        let iterations = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 2000
        print("message: \(statement.count) bytes, \(iterations) iterations each")
        try measure("P-256  ", armored: try sign(p256: P256.Signing.PrivateKey()), iterations: iterations)
        try measure("Ed25519", armored: try sign(ed25519: Curve25519.Signing.PrivateKey()), iterations: iterations)
    }

    static func measure(_ label: String, armored: String, iterations: Int) throws {
        var samples: [Duration] = []
        samples.reserveCapacity(iterations)
        let clock = ContinuousClock()
        for _ in 0..<iterations {
            let start = clock.now
            let result = try SSHSigVerifier().verify(armoredSignature: armored, message: statement, namespace: "ciauth")
            samples.append(clock.now - start)
            guard result.isValid else { throw SSHSigError.truncated }
        }
        samples.sort()
        func micros(_ duration: Duration) -> String {
            String(format: "%.1f", Double(duration.components.attoseconds) / 1e12 + Double(duration.components.seconds) * 1e6)
        }
        let total = samples.reduce(Duration.zero, +)
        print("\(label) parse+verify: median \(micros(samples[samples.count / 2])) µs, mean \(micros(total / iterations)) µs, p99 \(micros(samples[samples.count * 99 / 100])) µs")
    }

    static func signedData() throws -> [UInt8] {
        try SSHSignature.signedData(namespace: "ciauth", hashAlgorithm: .sha512, message: statement)
    }

    static func sign(p256 key: P256.Signing.PrivateKey) throws -> String {
        let message = AuthenticatorMessage.bytes(application: "ssh:ciauth", flags: 0x05, counter: 1, signedData: try signedData())
        let raw = Array(try key.signature(for: message).rawRepresentation)
        let signature = try SKSignature(ecdsaR: raw[..<32], s: raw[32...], flags: 0x05, counter: 1)
        let publicKey = try SKPublicKey(ecdsaP256Point: Array(key.publicKey.x963Representation), application: "ssh:ciauth")
        return try SSHSignature(publicKey: publicKey, namespace: "ciauth", hashAlgorithm: .sha512, signature: signature).armored
    }

    static func sign(ed25519 key: Curve25519.Signing.PrivateKey) throws -> String {
        let message = AuthenticatorMessage.bytes(application: "ssh:ciauth", flags: 0x05, counter: 1, signedData: try signedData())
        let signature = try SKSignature(ed25519: Array(try key.signature(for: message)), flags: 0x05, counter: 1)
        let publicKey = try SKPublicKey(ed25519: Array(key.publicKey.rawRepresentation), application: "ssh:ciauth")
        return try SSHSignature(publicKey: publicKey, namespace: "ciauth", hashAlgorithm: .sha512, signature: signature).armored
    }
}
