import Foundation
import GitLabSim
import Testing

/// SSH keys: listing (§2.3), creation and validation (§2.1), deletion.
@Suite struct KeysContractTests {
    static let keyFields = ["id", "title", "created_at", "expires_at", "key", "usage_type"]

    static func body(key: String, title: String = "new key", expiresAt: String? = nil, usage: String? = nil) -> String {
        var fields: [(String, JSONValue)] = [("title", .string(title)), ("key", .string(key))]
        if let expiresAt { fields.append(("expires_at", .string(expiresAt))) }
        if let usage { fields.append(("usage_type", .string(usage))) }
        return JSONValue.object(fields).serialized
    }

    @Test func anonymousListingIncludesExpiredAndAuthOnlyKeys() async throws {
        try await withSimulator { _, http in
            let response = try await http.get("/api/v4/users/alice/keys")
            #expect(response.status == 200)
            let keys = try #require(response.json?.arrayValue)
            #expect(keys.map { $0["id"]?.intValue } == [71, 72, 73])
            #expect(keys.allSatisfy { Set($0.keys) == Set(Self.keyFields) })
            #expect(keys.map { $0["usage_type"]?.stringValue } == ["signing", "auth_and_signing", "auth"])
            #expect(keys[1]["expires_at"]?.stringValue == "2025-01-01T00:00:00.000Z")
            // The stored comment is replaced by "<name> (<host>)".
            let line = try #require(keys[0]["key"]?.stringValue)
            #expect(line.hasSuffix(" Alice Example (127.0.0.1)"))
            #expect(line.hasPrefix(try Fixtures.publicKeys()[4].split(separator: " ").prefix(2).joined(separator: " ")))
            let byId = try await http.get("/api/v4/users/2/keys")
            #expect(byId.body == response.body)
            let missing = try await http.get("/api/v4/users/nobody/keys")
            #expect(missing.status == 404)
            #expect(missing.message == "404 User Not Found")
        }
    }

    @Test func fingerprintsMatchSSHKeygen() async throws {
        let lines = try Fixtures.publicKeys()
        let expected = try Fixtures.fingerprints()
        try await withSimulator { simulator, http in
            for (index, line) in lines.enumerated() where !line.hasPrefix("ssh-dss") {
                let response = try await http.post("/api/v4/user/keys", token: "bob-token", json: Self.body(key: line, title: "k\(index)"))
                if [0, 4, 5].contains(index) {
                    #expect(response.status == 400, "fixture key \(index) is already on alice's profile")
                    continue
                }
                #expect(response.status == 201, "\(response.text)")
                #expect(Set(response.json?.keys ?? []) == Set(Self.keyFields))
                #expect(response.json?["usage_type"]?.stringValue == "auth_and_signing")
            }
            let stored = try simulator.keys(ofUser: "bob").map(\.fingerprintSha256)
            let wanted = expected.enumerated().filter { ![0, 3, 4, 5].contains($0.offset) }.map(\.element)
            #expect(stored == wanted)
        }
    }

    @Test func duplicateFingerprintIsRejectedInstanceWide() async throws {
        let aliceKey = try Fixtures.publicKeys()[4]
        try await withSimulator { _, http in
            // Same blob, different comment: still the same key.
            let line = aliceKey.split(separator: " ").prefix(2).joined(separator: " ") + " other comment"
            let response = try await http.post("/api/v4/user/keys", token: "bob-token", json: Self.body(key: line))
            #expect(response.status == 400)
            #expect(response.json == .object([("message", .object([
                ("fingerprint", .array([.string("has already been taken")])),
                ("key", .array([.string("has already been taken")])),
            ]))]))
        }
    }

    @Test func deletingAKeyFreesItsFingerprintButNotItsId() async throws {
        let line = try Fixtures.publicKeys()[4]
        let fingerprint = try Fixtures.fingerprints()[4]
        try await withSimulator { simulator, http in
            let alices = try #require(try simulator.keys(ofUser: "alice").first { $0.fingerprintSha256 == fingerprint })
            #expect(try await http.delete("/api/v4/user/keys/\(alices.id)", token: "alice-token").status == 204)
            let added = try await http.post("/api/v4/user/keys", token: "bob-token", json: Self.body(key: line))
            #expect(added.status == 201)
            #expect((added.json?["id"]?.intValue ?? 0) > alices.id)
            #expect(try await http.get("/api/v4/keys?fingerprint=\(FormEncodingForTests.escape(fingerprint))", token: "root-token")
                .json?["user"]?["username"]?.stringValue == "bob")
            let again = try await http.post("/api/v4/user/keys", token: "alice-token", json: Self.body(key: line))
            #expect(again.status == 400)
        }
    }

    @Test func expiryMustBeInTheFutureAndWellFormed() async throws {
        let key = try Fixtures.publicKeys()[6]
        try await withSimulator { _, http in
            let past = try await http.post("/api/v4/user/keys", token: "bob-token", json: Self.body(key: key, expiresAt: "2020-01-01"))
            #expect(past.status == 400)
            #expect(past.json?["message"]?["key"] == .array([.string("has expired")]))
            let garbage = try await http.post("/api/v4/user/keys", token: "bob-token", json: Self.body(key: key, expiresAt: "soon"))
            #expect(garbage.json == .object([("error", .string("expires_at is invalid"))]))
            let future = try await http.post("/api/v4/user/keys", token: "bob-token", json: Self.body(key: key, expiresAt: "2099-12-31", usage: "signing"))
            #expect(future.status == 201)
            #expect(future.json?["expires_at"]?.stringValue == "2099-12-31T00:00:00.000Z")
            #expect(future.json?["usage_type"]?.stringValue == "signing")
        }
    }

    @Test func titleAndParametersAreValidated() async throws {
        let key = try Fixtures.publicKeys()[7]
        try await withSimulator { _, http in
            let long = try await http.post("/api/v4/user/keys", token: "bob-token", json: Self.body(key: key, title: String(repeating: "t", count: 256)))
            #expect(long.json?["message"]?["title"] == .array([.string("is too long (maximum is 255 characters)")]))
            let blank = try await http.post("/api/v4/user/keys", token: "bob-token", json: Self.body(key: key, title: " "))
            #expect(blank.json?["message"]?["title"] == .array([.string("can't be blank")]))
            let missing = try await http.post("/api/v4/user/keys", token: "bob-token", json: #"{"key":"x"}"#)
            #expect(missing.json == .object([("error", .string("title is missing"))]))
            let usage = try await http.post("/api/v4/user/keys", token: "bob-token", json: Self.body(key: key, usage: "everything"))
            #expect(usage.json == .object([("error", .string("usage_type does not have a valid value"))]))
            let form = try await http.post("/api/v4/user/keys", token: "bob-token", form: "title=form&usage_type=signing&key=" + FormEncodingForTests.escape(key))
            #expect(form.status == 201)
        }
    }

    @Test(arguments: [
        ("ssh-ed25519 AAAA", "truncated"),
        ("ssh-ed25519", "no blob"),
        ("ssh-foo AAAAB3NzaC1yc2EAAAADAQABAAABAQ==", "unknown type"),
    ])
    func malformedKeysAreInvalid(line: String, why: String) async throws {
        try await withSimulator { _, http in
            let response = try await http.post("/api/v4/user/keys", token: "bob-token", json: Self.body(key: line))
            #expect(response.status == 400, "\(why)")
            #expect(response.json?["message"]?["key"] == .array([.string("is invalid")]), "\(why)")
        }
    }

    @Test func blobMustMatchItsDeclaredTypeWithoutTrailingBytes() async throws {
        let keys = try Fixtures.publicKeys()
        let edBlob = String(keys[0].split(separator: " ")[1])
        let skBlob = try #require(Data(base64Encoded: String(keys[6].split(separator: " ")[1])))
        try await withSimulator { _, http in
            let mismatch = try await http.post("/api/v4/user/keys", token: "bob-token", json: Self.body(key: "sk-ssh-ed25519@openssh.com \(edBlob)"))
            #expect(mismatch.status == 400)
            let trailing = (skBlob + Data([0, 0, 0, 0])).base64EncodedString()
            let extra = try await http.post("/api/v4/user/keys", token: "bob-token", json: Self.body(key: "sk-ssh-ed25519@openssh.com \(trailing)"))
            #expect(extra.status == 400)
        }
    }

    @Test func dsaIsAForbiddenType() async throws {
        let dsa = try Fixtures.publicKeys()[3]
        try await withSimulator { _, http in
            let response = try await http.post("/api/v4/user/keys", token: "bob-token", json: Self.body(key: dsa))
            #expect(response.status == 400)
            #expect(response.json?["message"]?["key"]?.arrayValue?.first?.stringValue?.hasPrefix("type is forbidden") == true)
        }
    }

    @Test func ownKeysCanBeReadAndDeleted() async throws {
        try await withSimulator { simulator, http in
            let own = try await http.get("/api/v4/user/keys", token: "alice-token")
            #expect(own.json?.arrayValue?.count == 3)
            #expect(try await http.get("/api/v4/user/keys/71", token: "alice-token").status == 200)
            #expect(try await http.get("/api/v4/user/keys/71", token: "bob-token").status == 404)
            let foreign = try await http.delete("/api/v4/user/keys/71", token: "bob-token")
            #expect(foreign.status == 404)
            #expect(foreign.message == "404 Key Not Found")
            let deleted = try await http.delete("/api/v4/user/keys/71", token: "alice-token")
            #expect(deleted.status == 204)
            #expect(deleted.body.isEmpty)
            #expect(try simulator.keys(ofUser: "alice").map(\.id) == [72, 73])
            #expect(try await http.delete("/api/v4/user/keys/71", token: "alice-token").status == 404)
        }
    }

    @Test func onlyAdminsDeleteOtherUsersKeys() async throws {
        try await withSimulator { simulator, http in
            let denied = try await http.delete("/api/v4/users/2/keys/72", token: "bob-token")
            #expect(denied.status == 403)
            #expect(denied.message == "403 Forbidden")
            #expect(try await http.delete("/api/v4/users/3/keys/72", token: "root-token").status == 404)
            #expect(try await http.delete("/api/v4/users/2/keys/72", token: "root-token").status == 204)
            #expect(try simulator.keys(ofUser: "alice").map(\.id) == [71, 73])
            #expect(try await http.delete("/api/v4/users/2/keys/72").status == 401)
        }
    }
}

enum FormEncodingForTests {
    static func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// Admin lookups by id and fingerprint (gitlab-api.md §2.1).
@Suite struct AdminKeysTests {
    @Test func adminsFindKeysByFingerprint() async throws {
        let sha256 = try Fixtures.fingerprints()[4]
        try await withSimulator { _, http in
            let found = try await http.get("/api/v4/keys?fingerprint=\(FormEncodingForTests.escape(sha256))", token: "root-token")
            #expect(found.status == 200)
            #expect(found.json?["id"]?.intValue == 71)
            #expect(found.json?["user"]?["username"]?.stringValue == "alice")
            #expect(try await http.get("/api/v4/keys/73", token: "root-token").json?["title"]?.stringValue == "laptop")
            let denied = try await http.get("/api/v4/keys?fingerprint=\(FormEncodingForTests.escape(sha256))", token: "alice-token")
            #expect(denied.status == 403)
            let unknown = try await http.get("/api/v4/keys?fingerprint=SHA256%3Anope", token: "root-token")
            #expect(unknown.status == 404)
            #expect(unknown.message == "404 Key Not Found")
        }
    }

    @Test func md5FingerprintsMatchSSHKeygen() async throws {
        // ssh-keygen -l -E md5 of public-keys.txt line 1 (ed25519, on alice's profile as key 73).
        let line = try Fixtures.publicKeys()[0]
        let md5 = try #require(try Fixtures.text("md5-fingerprint-line1.txt").split(separator: "\n").first.map(String.init))
        try await withSimulator { _, http in
            let found = try await http.get("/api/v4/keys?fingerprint=\(md5.dropFirst("MD5:".count))", token: "root-token")
            #expect(found.json?["id"]?.intValue == 73)
            #expect(found.json?["key"]?.stringValue?.hasPrefix(line.split(separator: " ").prefix(2).joined(separator: " ")) == true)
        }
    }
}
