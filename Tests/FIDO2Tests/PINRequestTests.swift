import Foundation
import Testing

@testable import FIDO2

@Suite struct PINRequestTests {
    let device = DeviceAddress(unixSocketPath: "/k.sock")

    @Test func promptNamesKeyAndRetries() {
        let prompt = PINRequest(device: device, retriesLeft: 8, previousAttemptFailed: false).prompt
        #expect(prompt.contains("unix:/k.sock"))
        #expect(prompt.contains("8 tries left"))
        #expect(!prompt.contains("Wrong"))
    }

    @Test func lastTryIsWarned() {
        let prompt = PINRequest(device: device, retriesLeft: 1, previousAttemptFailed: true).prompt
        #expect(prompt.hasPrefix("Wrong PIN."))
        #expect(prompt.contains("1 try left"))
        #expect(prompt.contains("blocks"))
    }

    @Test func terminalPromptRefusesNonTerminals() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("not-a-tty")
        try [UInt8]("1234\n".utf8).withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: path)) }
        #expect(throws: FIDO2Error.self) { try TerminalPrompt.readSecret(prompt: "PIN: ", terminalPath: path) }
    }

    @Test func verificationPlans() throws {
        func info(_ options: [String: Bool]) -> DeviceInfo {
            DeviceInfo(
                address: device, isFIDO2: true, aaguid: [], versions: ["FIDO_2_0"], extensions: [], options: options,
                algorithms: [], pinRetries: options["clientPin"] == true ? 8 : nil)
        }
        let assertion = AssertionRequest(
            rpID: "ssh:ciauth", clientDataHash: [UInt8](repeating: 1, count: 32),
            allowedCredentials: [CredentialReference(credentialID: [1], algorithm: .es256, publicKey: [])])
        var uvAssertion = assertion
        uvAssertion.userVerification = true
        #expect(try VerificationPlan.forAssertion(assertion, info: info(["clientPin": true])) == .none)
        #expect(try VerificationPlan.forAssertion(uvAssertion, info: info(["clientPin": true])) == .pin)
        #expect(try VerificationPlan.forAssertion(uvAssertion, info: info(["clientPin": true, "uv": true])) == .builtIn)
        #expect(throws: FIDO2Error.self) { try VerificationPlan.forAssertion(uvAssertion, info: info(["clientPin": false])) }
        let credential = CredentialRequest(rpID: "ssh:ciauth", userID: [1], userName: "alice")
        #expect(try VerificationPlan.forCredential(credential, info: info([:])) == .none)
        #expect(try VerificationPlan.forCredential(credential, info: info(["clientPin": true])) == .pin)
        #expect(try VerificationPlan.forCredential(credential, info: info(["clientPin": true, "makeCredUvNotRqd": true])) == .none)
    }
}
