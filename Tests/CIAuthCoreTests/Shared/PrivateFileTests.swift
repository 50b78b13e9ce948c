@testable import CIAuthCore
import Foundation
import Testing

@Suite struct PrivateFileTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("ciauth-private-\(UUID().uuidString)")

    @Test func writesOwnerOnlyFilesInOwnerOnlyDirectories() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("keys/id_ciauth")
        try PrivateFile.write(Array("secret".utf8), to: file)
        let fileMode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        let dirMode = try FileManager.default.attributesOfItem(atPath: file.deletingLastPathComponent().path)[.posixPermissions] as? Int
        #expect(fileMode == 0o600)
        #expect(dirMode == 0o700)
        #expect(try String(contentsOf: file, encoding: .utf8) == "secret")
    }

    @Test func neverOverwritesWithoutBeingAsked() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("id")
        try PrivateFile.write([1], to: file)
        #expect(throws: PrivateFileError.exists(file.path)) { try PrivateFile.write([2], to: file) }
        try PrivateFile.write([3], to: file, replacing: true)
        #expect(try Data(contentsOf: file) == Data([3]))
    }

    @Test func refusesADirectoryOthersCanRead() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        #expect(throws: PrivateFileError.tooOpen(root.path)) { try PrivateFile.write([1], to: root.appendingPathComponent("id")) }
    }

    @Test func configDirectoryFollowsXDG() throws {
        #expect(try ConfigDirectory(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]).url.path == "/x/ciauth")
        #expect(try ConfigDirectory(environment: ["XDG_CONFIG_HOME": "rel", "HOME": "/h"]).url.path == "/h/.config/ciauth")
        #expect(try ConfigDirectory(environment: ["XDG_CONFIG_HOME": "./x", "HOME": "/h"]).url.path == "/h/.config/ciauth")
        #expect(try ConfigDirectory(environment: ["XDG_CONFIG_HOME": "", "HOME": "/h"]).url.path == "/h/.config/ciauth")
        #expect(throws: ConfigDirectoryError.noHome) { try ConfigDirectory(environment: ["XDG_CONFIG_HOME": "rel", "HOME": "h"]) }
        #expect(throws: ConfigDirectoryError.noHome) { try ConfigDirectory(environment: [:]) }
    }
}
