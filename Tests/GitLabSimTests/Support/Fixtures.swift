import Foundation
import GitLabSim

/// Fixture files (see Fixtures/README.md).
enum Fixtures {
    static func url(_ name: String) -> URL {
        Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)
            ?? Bundle.module.bundleURL.appendingPathComponent("Fixtures/\(name)")
    }

    static func text(_ name: String) throws -> String {
        try String(contentsOf: url(name), encoding: .utf8)
    }

    /// Public key lines: ed25519, ecdsa, rsa, dsa, then pairs of sk-ed25519 / sk-ecdsa.
    static func publicKeys() throws -> [String] {
        try text("public-keys.txt").split(separator: "\n").map(String.init)
    }

    /// `ssh-keygen -l -E sha256` fingerprints of `publicKeys()`, line by line.
    static func fingerprints() throws -> [String] {
        try text("fingerprints.txt").split(separator: "\n").map(String.init)
    }

    static func seed() throws -> SimSeed {
        try SimSeed.load(path: url("seed.json").path)
    }
}
