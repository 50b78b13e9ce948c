import ChildProcess
import Foundation

/// A throw-away certificate authority made with the `openssl` command at test time, and leaf
/// certificates it signs for TLS test servers.
public struct TestPKI: Sendable {
    public let directory: String
    /// The CA certificate (PEM): what a client under test trusts (`--ca-file`).
    public var caFile: String { directory + "/ca.pem" }

    public struct Leaf: Sendable {
        public let certificateFile: String
        public let keyFile: String
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Creates the CA in a new temporary directory; `remove()` deletes it.
    public static func make() throws -> TestPKI {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ciauth-pki-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let pki = TestPKI(directory: directory)
        try pki.openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
            "-subj", "/CN=ciauth test CA", "-keyout", directory + "/ca.key", "-out", pki.caFile,
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
        return pki
    }

    /// A server certificate signed by the CA for these subjectAltName entries
    /// (`DNS:gitlab.test`, `IP:127.0.0.2`).
    public func leaf(_ name: String, subjectAltNames: [String]) throws -> Leaf {
        let base = directory + "/" + name
        let extensions = """
            basicConstraints=CA:FALSE
            keyUsage=critical,digitalSignature
            extendedKeyUsage=serverAuth
            subjectAltName=\(subjectAltNames.joined(separator: ","))

            """
        try extensions.write(toFile: base + ".ext", atomically: true, encoding: .utf8)
        try openssl([
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=\(name)",
            "-keyout", base + ".key", "-out", base + ".csr",
        ])
        try openssl([
            "x509", "-req", "-in", base + ".csr", "-CA", caFile, "-CAkey", directory + "/ca.key", "-CAcreateserial",
            "-days", "2", "-extfile", base + ".ext", "-out", base + ".pem",
        ])
        return Leaf(certificateFile: base + ".pem", keyFile: base + ".key")
    }

    public func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func openssl(_ arguments: [String]) throws {
        let output = try ChildProcess.run("/usr/bin/openssl", arguments, timeout: .seconds(60))
        guard output.exit.succeeded else {
            throw Failure(description: "openssl \(arguments.first ?? "") failed: \(String(decoding: output.stderr, as: UTF8.self))")
        }
    }
}
