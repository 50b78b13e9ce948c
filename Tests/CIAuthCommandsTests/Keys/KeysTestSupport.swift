import CIAuthCore
import Crypto
import Foundation
import GitLabSim
import SSHSig
import Testing

/// Public key lines for seeding profiles (the signing key itself is `SoftwareAuthenticator`).
enum KeysKeyLines {
    /// A random sk-ecdsa public key line, as `ssh-keygen -t ecdsa-sk` would write it.
    static func randomKeyLine() throws -> String {
        let point = Array(P256.Signing.PrivateKey().publicKey.x963Representation)
        return try SKPublicKey(ecdsaP256Point: point, application: "ssh:").authorizedKeysLine()
    }

    /// A plain (non-security-key) ssh-ed25519 public key line.
    static func plainKeyLine() -> String {
        let raw = Array(Curve25519.Signing.PrivateKey().publicKey.rawRepresentation)
        func string(_ bytes: [UInt8]) -> [UInt8] {
            let n = UInt32(bytes.count)
            return [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + bytes
        }
        let blob = string(Array("ssh-ed25519".utf8)) + string(raw)
        return "ssh-ed25519 " + Data(blob).base64EncodedString()
    }
}

/// A running simulator plus helpers to run the real `ciauth` against it.
struct KeysSimulation {
    let sim: GitLabSimulator
    let home: URL

    static func start(_ seed: [String: Any]) async throws -> KeysSimulation {
        let json = try JSONSerialization.data(withJSONObject: seed)
        let sim = try await GitLabSimulator.start(seed: try SimSeed.decode(json: json))
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("ciauth-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        return KeysSimulation(sim: sim, home: home)
    }

    func stop() async {
        try? await sim.shutdown()
        try? FileManager.default.removeItem(at: home)
    }

    /// Runs `ciauth` with this server and `token`, isolated from the caller's configuration.
    func ciauth(_ arguments: [String], token: String? = "root-token", stdin: String? = nil) async throws -> BuiltBinary.Result {
        var environment = [
            "CIAUTH_SERVER": sim.baseURL, "HOME": home.path, "XDG_CONFIG_HOME": home.path, "GITLAB_TOKEN": "",
            "GITLAB_HOST": "", "CI_JOB_TOKEN": "", "CI_SERVER_URL": "", "NO_COLOR": "1",
        ]
        environment["CIAUTH_TOKEN"] = token ?? ""
        return try await BuiltBinary(name: "ciauth").run(arguments, environment: environment, stdin: stdin)
    }

    func file(_ name: String, _ text: String) throws -> String {
        let url = home.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }
}

/// Decodes `--json` output with the encoder's conventions (snake_case keys, ISO 8601 dates);
/// `member` picks a list out of its document (`checks`, `keys`, …).
func keysDecode<T: Decodable>(_ type: T.Type, _ text: String, member: String? = nil) throws -> T {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    decoder.keyDecodingStrategy = .custom { path in JSONTestKey(JSONTestKey.camelCase(path.last?.stringValue ?? "")) }
    var data = Data(text.utf8)
    if let member {
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        data = try JSONSerialization.data(withJSONObject: try #require(object[member]))
    }
    return try decoder.decode(type, from: data)
}

/// The Swift property name of a snake_case JSON key, for decoding output into the types that
/// produced it: the acronyms the output types spell in capitals come back in capitals.
struct JSONTestKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ stringValue: String) { self.stringValue = stringValue }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }

    static func camelCase(_ key: String) -> String {
        let acronyms = ["id": "ID", "ids": "IDs", "url": "URL", "sha": "SHA"]
        let words = key.split(separator: "_").map(String.init)
        guard let first = words.first else { return key }
        return first + words.dropFirst().map { acronyms[$0] ?? $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}

/// Days from now as `YYYY-MM-DD` / ISO 8601, for seeding keys relative to the real clock.
enum KeysDates {
    static func day(_ days: Int) -> String { String(instant(days).prefix(10)) }
    static func instant(_ days: Int) -> String {
        Date().addingTimeInterval(Double(days) * 86400).formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!))
    }
}
