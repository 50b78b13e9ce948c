import Crypto
import Foundation

/// CTAP1/U2F over CTAPHID_MSG (FIDO U2F Raw Message Formats v1.2), for a key in U2F-only mode.
///
/// U2F never waits for a touch inside a request: a request that needs one is answered at once
/// with SW_CONDITIONS_NOT_SATISFIED and the client polls (libfido2 every 100 ms) until the
/// person touches. Key handles are the same wrapped credential IDs as CTAP2's, bound to the
/// application parameter, so a handle is only "ours" for the app it was made for.
extension VirtualAuthenticator {
    enum StatusWord: UInt16 {
        case noError = 0x9000
        case conditionsNotSatisfied = 0x6985
        case wrongData = 0x6a80
        case wrongLength = 0x6700
        case claNotSupported = 0x6e00
        case insNotSupported = 0x6d00
    }

    static let u2fRegister: UInt8 = 0x01
    static let u2fAuthenticate: UInt8 = 0x02
    static let u2fVersion: UInt8 = 0x03
    static let authenticateCheckOnly: UInt8 = 0x07
    static let authenticateEnforcePresence: UInt8 = 0x03
    static let authenticateDontEnforcePresence: UInt8 = 0x08

    /// Handles one APDU; returns the response data followed by the status word.
    public func handle(u2fRequest request: [UInt8]) -> [UInt8] {
        guard let apdu = U2FAPDU(request) else { return Self.status(.wrongLength) }
        guard apdu.cla == 0 else { return Self.status(.claNotSupported) }
        logger.debug("U2F request", metadata: ["ins": "\(apdu.ins)", "p1": "\(apdu.p1)", "bytes": "\(apdu.data.count)"])
        switch apdu.ins {
        case Self.u2fVersion:
            return apdu.data.isEmpty ? Array("U2F_V2".utf8) + Self.status(.noError) : Self.status(.wrongLength)
        case Self.u2fRegister:
            return u2fRegister(apdu.data)
        case Self.u2fAuthenticate:
            return u2fAuthenticate(apdu.data, control: apdu.p1)
        default:
            return Self.status(.insNotSupported)
        }
    }

    private func u2fRegister(_ data: [UInt8]) -> [UInt8] {
        guard data.count == 64 else { return Self.status(.wrongLength) }
        let challenge = Array(data[0..<32])
        let application = Array(data[32..<64])
        guard presence.testOfUserPresence() else { return Self.status(.conditionsNotSatisfied) }
        let privateKey = P256.Signing.PrivateKey()
        let publicKey = Array(privateKey.publicKey.x963Representation)
        guard let keyHandle = try? withState({ state, _ in CredentialWrapping(masterSecret: Array(state.masterSecret)) })
            .wrap(.init(algorithm: .es256, resident: false, privateKey: Array(privateKey.rawRepresentation)), rpIDHash: application),
            let signature = try? TestAttestation.sign([0x00] + application + challenge + keyHandle + publicKey)
        else { return Self.status(.wrongData) }
        logger.info("U2F registration")
        return [0x05] + publicKey + [UInt8(keyHandle.count)] + keyHandle + TestAttestation.certificateDER + signature
            + Self.status(.noError)
    }

    private func u2fAuthenticate(_ data: [UInt8], control: UInt8) -> [UInt8] {
        guard data.count >= 65, data.count == 65 + Int(data[64]) else { return Self.status(.wrongLength) }
        let challenge = Array(data[0..<32])
        let application = Array(data[32..<64])
        let keyHandle = Array(data[65...])
        guard let wrapping = try? withState({ state, _ in CredentialWrapping(masterSecret: Array(state.masterSecret)) }),
            let credential = wrapping.unwrap(keyHandle, rpIDHash: application), credential.algorithm == .es256
        else { return Self.status(.wrongData) }
        switch control {
        case Self.authenticateCheckOnly:
            return Self.status(.conditionsNotSatisfied)
        case Self.authenticateEnforcePresence:
            guard presence.testOfUserPresence() else { return Self.status(.conditionsNotSatisfied) }
        case Self.authenticateDontEnforcePresence:
            break
        default:
            return Self.status(.wrongData)
        }
        let userPresence: UInt8 = control == Self.authenticateEnforcePresence ? 0x01 : 0x00
        guard let counter = try? withState({ state, _ in
            state.signatureCounter &+= 1
            return state.signatureCounter
        }) else { return Self.status(.wrongData) }
        let counterBytes = withUnsafeBytes(of: counter.bigEndian) { Array($0) }
        guard let signature = try? COSEAlgorithm.es256.sign(
            application + [userPresence] + counterBytes + challenge, privateKey: credential.privateKey)
        else { return Self.status(.wrongData) }
        return [userPresence] + counterBytes + signature + Self.status(.noError)
    }

    private static func status(_ word: StatusWord) -> [UInt8] {
        [UInt8(word.rawValue >> 8), UInt8(word.rawValue & 0xff)]
    }
}

/// An ISO 7816-4 command APDU as U2F clients send it: extended length
/// (`CLA INS P1 P2 00 Lc1 Lc2 data [Le1 Le2]`, as libfido2 does) or short
/// (`CLA INS P1 P2 [Lc data] [Le]`).
struct U2FAPDU {
    let cla: UInt8
    let ins: UInt8
    let p1: UInt8
    let data: [UInt8]

    init?(_ bytes: [UInt8]) {
        guard bytes.count >= 4 else { return nil }
        (cla, ins, p1) = (bytes[0], bytes[1], bytes[2])
        let body = Array(bytes[4...])
        if body.count >= 3, body[0] == 0 {
            let length = Int(body[1]) << 8 | Int(body[2])
            guard [3 + length, 3 + length + 2].contains(body.count) else { return nil }
            data = Array(body[3..<(3 + length)])
        } else if body.count <= 1 {
            data = []
        } else {
            let length = Int(body[0])
            guard [1 + length, 1 + length + 1].contains(body.count) else { return nil }
            data = Array(body[1..<(1 + length)])
        }
    }
}
