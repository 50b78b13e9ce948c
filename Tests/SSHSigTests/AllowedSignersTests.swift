import Foundation
import Testing
@testable import SSHSig

@Suite struct AllowedSignersTests {
    let alice = SoftwareSecurityKey.p256()
    let bob = SoftwareSecurityKey.ed25519()
    let utc = TimeZone(identifier: "UTC") ?? .current

    func date(_ text: String) throws -> Date {
        try SSHTimestamp(text).date(localTimeZone: utc)
    }

    @Test func parsesPrincipalsOptionsCommentsAndSkippedLines() throws {
        let text = """
        # ciauth approvers
        alice@example.com,ops-* namespaces="ciauth,ciauth-*",valid-after="20250101",valid-before="20270101Z" \(try alice.publicKey.authorizedKeysLine(comment: "alice yubikey"))

          "bob smith" NAMESPACES="ciauth" \(try bob.publicKey.authorizedKeysLine())
        carol ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl carol
        *@example.com cert-authority \(try bob.publicKey.authorizedKeysLine())\r

        """
        let signers = try AllowedSigners(parsing: text)
        #expect(signers.entries.count == 2)
        let first = signers.entries[0]
        #expect(first.principals == "alice@example.com,ops-*")
        #expect(first.namespaces == "ciauth,ciauth-*")
        #expect(first.validAfter?.text == "20250101")
        #expect(first.validBefore?.isUTC == true)
        #expect(first.comment == "alice yubikey")
        #expect(signers.entries[1].principals == "bob smith")
        #expect(signers.skippedLines == [
            .init(lineNumber: 5, reason: .notSecurityKey("ssh-ed25519")),
            .init(lineNumber: 6, reason: .certAuthorityUnsupported),
        ])
    }

    @Test func serializationRoundTrips() throws {
        let text = """
        alice@example.com,!mallory namespaces="ciauth",valid-after="202501011200Z" \(try alice.publicKey.authorizedKeysLine(comment: "a"))
        "bob smith" \(try bob.publicKey.authorizedKeysLine())
        "#ops" \(try bob.publicKey.authorizedKeysLine())

        """
        let signers = try AllowedSigners(parsing: text)
        #expect(signers.entries.map(\.principals) == ["alice@example.com,!mallory", "bob smith", "#ops"])
        #expect(signers.serialized == text)
        #expect(try AllowedSigners(parsing: signers.serialized) == signers)
    }

    @Test func crlfFilesParseLineByLine() throws {
        let text = "# signers\r\nalice \(try alice.publicKey.authorizedKeysLine(comment: "a"))\r\nbob \(try bob.publicKey.authorizedKeysLine())\r\n"
        let signers = try AllowedSigners(parsing: text)
        #expect(signers.entries.map(\.principals) == ["alice", "bob"])
        #expect(signers.entries.map(\.comment) == ["a", nil])
    }

    @Test func principalPatternsFollowOpenSSH() {
        #expect(PatternList.matches("alice@example.com", list: "*@example.com"))
        #expect(PatternList.matches("ops-1", list: "dev,ops-?"))
        #expect(!PatternList.matches("ops-12", list: "ops-?"))
        #expect(!PatternList.matches("mallory@example.com", list: "*@example.com,!mallory@*"))
        #expect(!PatternList.matches("alice", list: "!bob"))
        #expect(PatternList.matches("a*b", list: "a**b"))
        #expect(!PatternList.matches("Alice", list: "alice"))
        #expect(PatternList.matches("", list: "*"))
    }

    @Test func authorizationGivesTheMostSpecificDenial() throws {
        let line = "alice namespaces=\"ciauth\",valid-after=\"20250101Z\",valid-before=\"20260101Z\" \(try alice.publicKey.authorizedKeysLine())"
        let signers = try AllowedSigners(parsing: line)
        let key = try alice.publicKey
        let inside = try date("20250601Z")
        #expect(try signers.authorize(key: key, principal: "alice", namespace: "ciauth", at: inside, localTimeZone: utc).get() == signers.entries[0])
        #expect(signers.authorize(key: try bob.publicKey, principal: "alice", namespace: "ciauth", at: inside) == .failure(.keyNotListed))
        #expect(signers.authorize(key: key, principal: "bob", namespace: "ciauth", at: inside) == .failure(.principalNotAllowed("bob")))
        #expect(signers.authorize(key: key, principal: "alice", namespace: "git", at: inside) == .failure(.namespaceNotAllowed("git")))
        #expect(signers.authorize(key: key, principal: "alice", namespace: "ciauth", at: try date("20241231235959Z")) == .failure(.notYetValid(try SSHTimestamp("20250101Z"))))
        #expect(signers.authorize(key: key, principal: "alice", namespace: "ciauth", at: try date("20260101000001Z")) == .failure(.expired(try SSHTimestamp("20260101Z"))))
        #expect(signers.authorize(key: key, principal: "alice", namespace: "ciauth", at: try date("20260101Z")).isSuccess)
        #expect(signers.principals(for: key, at: inside) == ["alice"])
    }

    @Test func timestampsParseLikeOpenSSH() throws {
        #expect(try SSHTimestamp("20250102Z").date() == Date(timeIntervalSince1970: 1_735_776_000))
        #expect(try SSHTimestamp("202501020304Z").date() == Date(timeIntervalSince1970: 1_735_787_040))
        #expect(try SSHTimestamp("20250102030405utc").date() == Date(timeIntervalSince1970: 1_735_787_045))
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        #expect(try SSHTimestamp("20250102").date(localTimeZone: berlin) == Date(timeIntervalSince1970: 1_735_772_400))
        #expect(try SSHTimestamp("20250701").date(localTimeZone: berlin) == Date(timeIntervalSince1970: 1_751_320_800))
        #expect(try SSHTimestamp("20240229235959Z").date() == Date(timeIntervalSince1970: 1_709_251_199))
        for bad in ["2025010", "20251301", "20250229", "20250100", "202501022400", "20250102030460", "19691231", "Z", "2025O102", "+2025010"] {
            #expect(throws: SSHSigError.invalidTimestamp(bad)) { try SSHTimestamp(bad) }
        }
    }

    @Test func verifierChecksTheSignerAgainstAllowedSigners() throws {
        let signers = try AllowedSigners(parsing: "alice namespaces=\"ciauth\" \(try alice.publicKey.authorizedKeysLine())\n")
        let now = Date()
        let good = try alice.sshSignature(message: B.message, namespace: "ciauth")
        let verifier = SSHSigVerifier()
        #expect(verifier.verify(signature: good, message: B.message, namespace: "ciauth", principal: "alice", allowedSigners: signers, at: now).isValid)
        #expect(verifier.verify(signature: good, message: B.message, namespace: "ciauth", principal: "bob", allowedSigners: signers, at: now).failure
            == .signerNotAllowed(.principalNotAllowed("bob")))
        let stranger = try bob.sshSignature(message: B.message, namespace: "ciauth")
        #expect(verifier.verify(signature: stranger, message: B.message, namespace: "ciauth", principal: "alice", allowedSigners: signers, at: now).failure
            == .signerNotAllowed(.keyNotListed))
        #expect(verifier.verify(signature: good, message: B.message + [1], namespace: "ciauth", principal: "alice", allowedSigners: signers, at: now).failure
            == .signatureMismatch)
    }

    /// ssh-keygen decides the same way for namespaces, principals and validity windows.
    @Test func decisionsAgreeWithSSHKeygen() throws {
        let openSSH = try OpenSSH()
        let key = try alice.publicKey
        let text = "alice,ops-* namespaces=\"ciauth,deploy-*\",valid-after=\"20250101Z\",valid-before=\"20260101Z\" \(key.authorizedKeysLine())\n"
        let signers = try AllowedSigners(parsing: text)
        let probes: [(principal: String, namespace: String, time: String)] = [
            ("alice", "ciauth", "20250601Z"), ("ops-7", "deploy-prod", "20250601Z"), ("bob", "ciauth", "20250601Z"),
            ("alice", "git", "20250601Z"), ("alice", "ciauth", "20241231Z"), ("alice", "ciauth", "20260102Z"),
            ("alice", "ciauth", "20250101Z"), ("alice", "ciauth", "20260101Z"), ("alice", "ciauth", "20241231235959Z"),
            ("alice", "ciauth", "20260101000001Z"),
        ]
        for probe in probes {
            let signature = try alice.sshSignature(message: B.message, namespace: probe.namespace)
            let verdict = try openSSH.verify(signature.armored, message: B.message, principal: probe.principal, namespace: probe.namespace,
                                             allowedSigners: text, extraOptions: ["-Overify-time=\(probe.time)"])
            let ours = signers.authorize(key: key, principal: probe.principal, namespace: probe.namespace, at: try date(probe.time), localTimeZone: utc)
            #expect((verdict.status == 0) == ours.isSuccess, "\(probe): ssh-keygen \(verdict.status), ours \(ours)")
        }
    }
}

extension Result {
    var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}
