// libFuzzer entry point for the approval protocol's parsers: the statement, the transport value,
// the plain form and the `.ciauth.yml` policy. Compiled together with the protocol, checking and
// policy sources of CIAuthCore and with SSHSig (see run.sh). The first input byte picks the
// parser. Besides "never crash", each parser must be canonical: whatever it accepts re-encodes to
// the exact input, and the policy parser is deterministic.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzApproval(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let selector = bytes.first else { return 0 }
    let input = Array(bytes.dropFirst())
    switch selector % 4 {
    case 0: fuzzStatement(input)
    case 1: fuzzTransport(input)
    case 2: fuzzPlainForm(input)
    default: fuzzPolicy(input)
    }
    return 0
}

private func fuzzStatement(_ input: [UInt8]) {
    guard let statement = try? ApprovalStatement(parsing: input) else { return }
    precondition(statement.encoded == input, "a statement re-encodes to other bytes than it was parsed from")
    precondition((try? ApprovalStatement(parsing: statement.encoded)) == statement, "statement round trip differs")
}

private func fuzzTransport(_ input: [UInt8]) {
    let value = String(decoding: input, as: UTF8.self)
    guard let transport = try? ApprovalTransport(decoding: value) else { return }
    precondition(transport.encoded == value, "a transport value re-encodes to another text")
    _ = try? ApprovalStatement(parsing: transport.statementBytes)
    _ = try? ApprovalVerifier.parseSignature(transport.signatureBlob)
}

private func fuzzPlainForm(_ input: [UInt8]) {
    let text = String(decoding: input, as: UTF8.self)
    guard let transport = try? ApprovalTransport(plainForm: text) else { return }
    precondition((try? transport.plainForm()) == text, "a plain form re-encodes to another text")
}

private func fuzzPolicy(_ input: [UInt8]) {
    guard input.count <= 64 * 1024, let text = String(validating: input, as: UTF8.self) else { return }
    let first = try? RepositoryPolicy(yaml: text)
    let second = try? RepositoryPolicy(yaml: text)
    precondition(first == second, "the policy parser is not deterministic")
    guard let policy = first else { return }
    precondition(policy.maximumAge.map { $0 > 0 } ?? true, "a policy accepted a non-positive max_age")
    precondition(policy.minimumKeyAge.map { $0 > 0 } ?? true, "a policy accepted a non-positive min_key_age")
    precondition(policy.approvers?.allSatisfy { !$0.isEmpty } ?? true, "a policy accepted an empty approver")
}
