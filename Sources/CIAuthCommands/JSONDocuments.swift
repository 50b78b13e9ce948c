import CIAuthCore

// The top-level objects of the `--json` documents whose result is a list (docs/json.md): a list
// is always a member, never the document, so a member can be added without breaking readers.

/// `ciauth.doctor/1`.
struct DoctorJSON: Encodable {
    let checks: [DoctorCheck]
}

/// `ciauth.audit.verify/1`: one entry per record read.
struct AuditVerifyJSON: Encodable {
    let records: [AuditVerifyCheck]
}

/// `ciauth.keys.list/1`.
struct KeysListJSON: Encodable {
    let keys: [ProfileKey]
}

/// `ciauth.keys.revoke/1`: one entry per key chosen.
struct KeysRevokeJSON: Encodable {
    let results: [KeysRevocationResult]
}
