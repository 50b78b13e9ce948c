/// Strict parsing of statement bytes (docs/protocol.md, "Parsing"). Only the exact encoding of a
/// valid statement is accepted: `ApprovalStatement(parsing: s.encoded) == s` for every statement
/// and `ApprovalStatement(parsing: b).encoded == b` for every accepted `b`.
extension ApprovalStatement {
    public init(parsing input: some Collection<UInt8>) throws {
        let lines = try Self.lines(of: Array(input))
        if let version = lines.first, let retired = Self.retiredVersionLines.first(where: { version.elementsEqual($0.utf8) }) {
            throw ApprovalRejection(
                .statementRetiredVersion,
                "\(retired) statements name the approver by username alone and are no longer accepted; approve again with this version of ciauth")
        }
        guard let version = lines.first, version.elementsEqual(Self.versionLine.utf8) else {
            throw ApprovalRejection(
                .statementUnknownVersion,
                "the first line must be \(Self.versionLine), got \(Self.quoted(String(decoding: lines.first ?? [], as: UTF8.self)))")
        }
        if let reasonLine = lines.firstIndex(where: { $0.starts(with: "reason: ".utf8) }), reasonLine != lines.count - 1 {
            throw ApprovalRejection(.statementTrailingData, "lines follow the final field `reason`")
        }
        let entries = try lines.dropFirst().enumerated().map { try Self.entry($1, lineNumber: $0 + 2) }
        try Self.checkLayout(entries.map(\.key))
        try self.init(fields: entries)
    }

    private struct Entry {
        let key: String
        let value: Substring
    }

    /// Splits checked UTF-8 into lines; rejects size, control bytes, bad UTF-8, missing final LF.
    /// Lines stay bytes: splitting text by characters could merge a separator with a combining mark.
    private static func lines(of bytes: [UInt8]) throws -> [ArraySlice<UInt8>] {
        guard bytes.count <= ApprovalLimits.statementBytes else {
            throw ApprovalRejection(.statementOversize, "the statement is longer than \(ApprovalLimits.statementBytes) bytes")
        }
        if let offset = bytes.firstIndex(where: { ($0 < 0x20 && $0 != 0x0A) || $0 == 0x7F }) {
            throw ApprovalRejection(
                .statementControlCharacter, "control character \(controlName(bytes[offset])) at byte \(offset)")
        }
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw ApprovalRejection(.statementNotUTF8, "the statement is not valid UTF-8")
        }
        guard bytes.last == 0x0A else {
            throw ApprovalRejection(.statementMissingFinalNewline, "the statement must end with a line feed")
        }
        return bytes.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false)
    }

    /// `key: value` split at the first colon-space bytes; the key is `a-z` and `-`.
    private static func entry(_ line: ArraySlice<UInt8>, lineNumber: Int) throws -> Entry {
        let separator = line.indices.first { line[$0] == 0x3A && line.index(after: $0) < line.endIndex && line[line.index(after: $0)] == 0x20 }
        guard let separator, separator > line.startIndex,
            line[..<separator].allSatisfy({ (0x61...0x7A).contains($0) || $0 == 0x2D })
        else {
            throw ApprovalRejection(
                .statementMalformedLine,
                "line \(lineNumber) is not a `key: value` line: \(quoted(String(decoding: line, as: UTF8.self)))")
        }
        let value = String(decoding: line[(separator + 2)...], as: UTF8.self)
        return Entry(key: String(decoding: line[..<separator], as: UTF8.self), value: Substring(value))
    }

    /// Every key known, no duplicates, nothing missing, fixed order.
    private static func checkLayout(_ keys: [String]) throws {
        if let unknown = keys.first(where: { !fieldOrder.contains($0) }) {
            throw ApprovalRejection(.statementUnknownField, "unknown field \(quoted(unknown))")
        }
        var runs: [String] = []  // keys with consecutive `job` and `environment` lines collapsed
        for key in keys where runs.last != key || !perJobFields.contains(key) { runs.append(key) }
        var seen: Set<String> = []
        for key in runs where !seen.insert(key).inserted {
            throw ApprovalRejection(.statementDuplicateField, "field `\(key)` appears more than once")
        }
        if let missing = fieldOrder.first(where: { !seen.contains($0) }) {
            throw ApprovalRejection(.statementMissingField, "field `\(missing)` is missing")
        }
        if let index = zip(runs, fieldOrder).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            throw ApprovalRejection(
                .statementFieldOutOfOrder, "field `\(runs[index])` is out of order; expected `\(fieldOrder[index])`")
        }
        let jobCount = keys.filter { $0 == "job" }.count
        guard jobCount <= ApprovalLimits.jobs else {
            throw ApprovalRejection(.tooManyJobs, "a statement may approve at most \(ApprovalLimits.jobs) jobs")
        }
        guard keys.filter({ $0 == "environment" }).count == jobCount else {
            throw ApprovalRejection(.invalidEnvironment, "there must be one `environment` line per `job` line")
        }
    }

    /// Builds the statement from entries already known to be complete and in order.
    private init(fields entries: [Entry]) throws {
        // A list, not a dictionary: each key appears once here, and a dictionary of strings would
        // make the runtime look up `String: Hashable` at every start, scanning every conformance
        // record of the binary (docs/architecture.md, "What a start costs").
        var values: [(key: String, value: Substring)] = []
        var jobs: [Job] = []
        var environments: [Substring] = []
        for entry in entries {
            switch entry.key {
            case "job": jobs.append(try Self.job(entry.value))
            case "environment": environments.append(entry.value)
            default: values.append((entry.key, entry.value))
            }
        }
        let value = { (key: String) -> Substring in values.last { $0.key == key }?.value ?? "" }
        let reason = value("reason")
        try self.init(
            server: String(value("server")),
            projectID: try ApprovalFieldRules.number(value("project-id"), field: "project-id"),
            projectPath: String(value("project-path")),
            pipelineID: try ApprovalFieldRules.number(value("pipeline-id"), field: "pipeline-id"),
            jobs: try Self.withEnvironments(try Self.ascending(jobs), environments),
            ref: String(value("ref")),
            commitSHA: String(value("commit")),
            approver: String(value("approver")),
            approverID: try ApprovalFieldRules.number(value("approver-id"), field: "approver-id"),
            issuedAt: try Self.timestamp(value("issued-at"), field: "issued-at"),
            expiresAt: try Self.timestamp(value("expires-at"), field: "expires-at"),
            nonce: try ApprovalFieldRules.nonce(value("nonce")),
            reason: reason == ApprovalFieldRules.noneMarker ? nil : String(reason))
    }

    /// `<id> <name>`: canonical id, one space, the name to the end of the line.
    private static func job(_ value: Substring) throws -> Job {
        guard let space = value.firstIndex(of: " ") else {
            throw ApprovalRejection(.invalidJob, "a job line must be `job: <id> <name>`")
        }
        let id = try ApprovalFieldRules.number(value[..<space], field: "job id")
        let name = String(value[value.index(after: space)...])
        try ApprovalFieldRules.jobName(name)
        return Job(id: id, name: name)
    }

    /// `environment: <job id> <name or (none)>`, one per job, naming the jobs in their order.
    private static func withEnvironments(_ jobs: [Job], _ lines: [Substring]) throws -> [Job] {
        try zip(jobs, lines).map { job, line in
            guard let space = line.firstIndex(of: " "),
                (try? ApprovalFieldRules.number(line[..<space], field: "environment job id")) == job.id
            else {
                throw ApprovalRejection(
                    .invalidEnvironment, "each `environment` line must be `<job id> <environment>` for the job listed at its place")
            }
            let name = line[line.index(after: space)...]
            return job.with(name == ApprovalFieldRules.noneMarker ? .none : .named(String(name)))
        }
    }

    /// The encoding lists jobs in ascending order; the initializer would silently sort them.
    private static func ascending(_ jobs: [Job]) throws -> [Job] {
        for (previous, next) in zip(jobs, jobs.dropFirst()) where previous.id >= next.id {
            throw ApprovalRejection(.jobsNotAscending, "job \(next.id) is listed twice or out of ascending order")
        }
        return jobs
    }

    private static func timestamp(_ value: Substring, field: String) throws -> ApprovalTimestamp {
        guard let timestamp = ApprovalTimestamp(rfc3339: value) else {
            throw ApprovalRejection(.invalidTimestamp, "\(field) must be UTC RFC 3339 like 2026-01-31T16:47:55Z")
        }
        return timestamp
    }

    private static func controlName(_ byte: UInt8) -> String {
        switch byte {
        case 0x00: return "NUL"
        case 0x09: return "TAB"
        case 0x0D: return "CR"
        case 0x7F: return "DEL"
        default: return "0x" + Hex.encode([byte])
        }
    }

    /// A value quoted for an explanation: printable ASCII only (anything else shown as `?`) and
    /// shortened, so a hostile value can neither flood nor disguise a log line.
    static func quoted(_ text: String) -> String {
        let safe = text.unicodeScalars.prefix(60).map { (0x20...0x7E).contains($0.value) ? Character($0) : "?" }
        return "\"" + String(safe) + (text.unicodeScalars.count > 60 ? "..." : "") + "\""
    }
}
