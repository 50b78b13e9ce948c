import Foundation
import VirtualKey

/// A virtual key served in-process from a fresh temporary directory; `stop()` cleans up.
final class TestKey {
    let directory: URL
    let server: VirtualKeyServer
    var socketPath: String { server.socketPath }
    var authenticator: VirtualAuthenticator { server.authenticator }

    init(
        _ configure: (inout VirtualAuthenticatorConfiguration) -> Void = { _ in },
        options: VirtualKeyServerOptions = .init()
    ) throws {
        directory = try TestKey.makeTemporaryDirectory()
        var configuration = VirtualAuthenticatorConfiguration()
        configure(&configuration)
        server = try VirtualKeyServer.start(
            socketPath: directory.appendingPathComponent("key.sock").path,
            authenticator: VirtualAuthenticator(config: configuration), options: options)
    }

    func client() throws -> RawKeyClient { try RawKeyClient(path: socketPath) }

    func stop() {
        server.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }

    /// Short paths: sockaddr_un holds at most 107 bytes.
    static func makeTemporaryDirectory() throws -> URL {
        let url = URL(fileURLWithPath: "/tmp").appendingPathComponent("vk-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Canned CTAP2 request parameters.
enum Requests {
    static let clientDataHash = CBORValue.bytes([UInt8](repeating: 0x42, count: 32))

    static func makeCredential(alg: Int = -7, userID: [UInt8] = [1, 2, 3], rk: Bool = false, exclude: [[UInt8]] = []) -> CBORValue {
        var parameters: [CBORValue: CBORValue] = [
            1: clientDataHash,
            2: .map(["id": "ssh:ciauth", "name": "ciauth"]),
            3: .map(["id": .bytes(userID), "name": "alice"]),
            4: .array([.map(["alg": .int(alg), "type": "public-key"])]),
            7: .map(["rk": .bool(rk)]),
        ]
        if !exclude.isEmpty { parameters[5] = .array(exclude.map { .map(["id": .bytes($0), "type": "public-key"]) }) }
        return .map(parameters)
    }

    static func getAssertion(rpID: String = "ssh:ciauth", allow: [[UInt8]] = [], up: Bool? = nil) -> CBORValue {
        var parameters: [CBORValue: CBORValue] = [1: .text(rpID), 2: clientDataHash]
        if !allow.isEmpty { parameters[3] = .array(allow.map { .map(["id": .bytes($0), "type": "public-key"]) }) }
        if let up { parameters[5] = .map(["up": .bool(up)]) }
        return .map(parameters)
    }

    /// Credential ID out of makeCredential's authData (WebAuthn §6.5.1 layout).
    static func credentialID(fromMakeCredential body: CBORValue?) throws -> [UInt8] {
        guard let authData = body?[2]?.bytesValue, authData.count > 55 else { throw TestFailure("no authData") }
        let length = Int(authData[53]) << 8 | Int(authData[54])
        return Array(authData[55..<(55 + length)])
    }
}
