// libFuzzer entry point for the SSHSig parsers. Compiled together with Sources/SSHSig (see run.sh),
// so coverage feedback reaches every parser. The first input byte picks the parser; the rest is
// its input. Besides "never crash", each parser must be canonical: whatever parses re-encodes to
// an equal value, and binary formats re-encode to the exact input bytes.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSSHSig(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let selector = bytes.first else { return 0 }
    let input = Array(bytes.dropFirst())
    switch selector % 6 {
    case 0: fuzzWireEnvelope(input)
    case 1: fuzzArmor(input)
    case 2: fuzzKeyLine(input)
    case 3: fuzzAllowedSigners(input)
    case 4: fuzzSignatureBlob(input)
    default: fuzzPrivateKey(input)
    }
    return 0
}

private func text(_ bytes: [UInt8]) -> String {
    String(decoding: bytes, as: UTF8.self)
}

private func fuzzWireEnvelope(_ input: [UInt8]) {
    guard let signature = try? SSHSignature(sshWireEncoded: input) else { return }
    precondition(signature.sshWireEncoded == input, "envelope re-encoding differs from its input")
    _ = SSHSigVerifier().verify(signature: signature, message: input, namespace: signature.namespace)
}

private func fuzzArmor(_ input: [UInt8]) {
    guard let signature = try? SSHSignature(armored: text(input)) else { return }
    precondition((try? SSHSignature(armored: signature.armored)) == signature, "armor round trip differs")
}

private func fuzzKeyLine(_ input: [UInt8]) {
    guard let key = try? SKPublicKey(authorizedKeysLine: text(input)) else { return }
    precondition((try? SKPublicKey(authorizedKeysLine: key.authorizedKeysLine(comment: "c"))) == key, "key line round trip differs")
    precondition((try? SKPublicKey(sshWireEncoded: key.sshWireEncoded)) == key, "key blob round trip differs")
    _ = key.fingerprint
}

private func fuzzAllowedSigners(_ input: [UInt8]) {
    guard let signers = try? AllowedSigners(parsing: text(input)) else { return }
    let reparsed = try? AllowedSigners(parsing: signers.serialized)
    precondition(reparsed?.entries == signers.entries, "allowed_signers round trip differs")
}

private func fuzzSignatureBlob(_ input: [UInt8]) {
    guard let signature = try? SKSignature(sshWireEncoded: input) else { return }
    precondition(signature.sshWireEncoded == input, "signature blob re-encoding differs from its input")
}

private func fuzzPrivateKey(_ input: [UInt8]) {
    guard let file = try? SKPrivateKeyFile(sshWireEncoded: input) else { return }
    precondition(file.sshWireEncoded == input, "private key re-encoding differs from its input")
    precondition((try? SKPrivateKeyFile(armored: file.armored)) == file, "private key armor round trip differs")
}
