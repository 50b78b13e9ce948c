import CIAuthCore
import CIAuthTestSupport
import Foundation
import GitLab
import SSHSig
import Testing

/// The boundaries of doctor's judgements, in process (the states are also run through the
/// binary in DoctorGitLabStateTests).
@Suite struct DoctorEvaluationTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// A reading with a 100 ms round trip and GitLab's clock `offset` seconds from ours.
    static func reading(offset: TimeInterval?) -> ServerClockReading {
        let sent = now, received = now.addingTimeInterval(0.1)
        let serverDate = offset.map { Date(timeIntervalSince1970: (now.timeIntervalSince1970 + 0.05 + $0).rounded(.down)) }
        return ServerClockReading(serverDate: serverDate, requestSent: sent, responseReceived: received)
    }

    @Test func clockThresholds() {
        #expect(DoctorClockCheck.check(Self.reading(offset: 0)).status == .ok)
        #expect(DoctorClockCheck.check(Self.reading(offset: 29)).status == .ok)
        #expect(DoctorClockCheck.check(Self.reading(offset: -33)).status == .warn)
        #expect(DoctorClockCheck.check(Self.reading(offset: 119)).status == .warn)
        #expect(DoctorClockCheck.check(Self.reading(offset: -123)).status == .fail)
        #expect(DoctorClockCheck.check(Self.reading(offset: -123), tolerance: 300).status == .warn)
        let unknown = DoctorClockCheck.check(Self.reading(offset: nil))
        #expect(unknown.status == .warn && unknown.message.contains("unknown"))
    }

    @Test func tokenJudgements() {
        func token(_ scopes: [String], active: Bool = true, revoked: Bool = false, expiresInDays: Double? = nil) -> PersonalAccessToken {
            PersonalAccessToken(
                id: 1, name: "t", scopes: scopes, active: active, revoked: revoked,
                expiresAt: expiresInDays.map { Self.now.addingTimeInterval($0 * 86400) })
        }
        #expect(DoctorTokenCheck.evaluate(token(["read_api", "api"], expiresInDays: 30), now: Self.now).status == .ok)
        #expect(DoctorTokenCheck.evaluate(token(["api"], expiresInDays: 6.5), now: Self.now).message.contains("expires in 7 day(s)"))
        #expect(DoctorTokenCheck.evaluate(token(["read_repository"]), now: Self.now).status == .fail)
        #expect(DoctorTokenCheck.evaluate(token([]), now: Self.now).message.contains("no scopes"))
        #expect(DoctorTokenCheck.evaluate(token(["api"], revoked: true), now: Self.now).status == .fail)
        #expect(DoctorTokenCheck.evaluate(token(["api"], expiresInDays: -1), now: Self.now).status == .fail)
    }

    @Test func credentialExpiringSoonWarns() throws {
        let authenticator = SoftwareAuthenticator.ed25519()
        let file = try SKPrivateKeyFile(publicKey: try authenticator.publicKey, keyHandle: [9], comment: "c")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("doctor-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let credential = try CredentialStore(directory: directory).save(file)
        let key = SSHKey(
            id: 5, title: "k", key: try authenticator.publicKeyLine, createdAt: nil,
            expiresAt: Self.now.addingTimeInterval(2 * 86400), usageType: .signing)
        let plain = SSHKey(id: 6, title: "p", key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDOA4wqO2SxxUw8SRDVtUatIpAdGyTTZpDLFQv+Gc0aM", createdAt: nil, expiresAt: nil, usageType: .signing)
        let check = DoctorCredentialCheck.evaluate(local: [credential], registered: [key, plain], username: "alice", now: Self.now)
        #expect(check.status == .warn && check.message.contains("expires in 2 day(s)"))
        #expect(!check.message.contains("other security key"))  // the plain ssh key is not a security key
    }
}
