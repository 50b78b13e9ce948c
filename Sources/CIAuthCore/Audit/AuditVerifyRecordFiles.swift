import Foundation

/// Reads files of `ApprovalAuditRecord`s: one JSON object per line (as `ciauth verify` appends
/// them), or a file holding a single, possibly pretty-printed, record.
public enum AuditRecordFiles {
    /// One record of a file, or why that line could not be read.
    public struct Entry: Sendable {
        public var file: String
        /// 1-based line number; 1 for a single-object file.
        public var line: Int
        public var record: Result<ApprovalAuditRecord, KeysError>
    }

    public static func read(_ path: String) throws(KeysError) -> [Entry] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KeysError(.unreadableAuditFile, "cannot read the audit file \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw KeysError(.unreadableAuditFile, "the audit file \(path) is not UTF-8 text")
        }
        if let whole = try? JSONDecoder().decode(ApprovalAuditRecord.self, from: data) {
            return [Entry(file: path, line: 1, record: .success(whole))]
        }
        var entries: [Entry] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            do {
                entries.append(Entry(file: path, line: index + 1, record: .success(try ApprovalAuditRecord(jsonLine: trimmed))))
            } catch {
                let failure = KeysError(.unreadableAuditFile, "\(path):\(index + 1) is not an audit record")
                entries.append(Entry(file: path, line: index + 1, record: .failure(failure)))
            }
        }
        return entries
    }

    /// The latest accepted approval per key fingerprint across the files. Unreadable files fail
    /// the run: a missing record could make a used key look unused.
    public static func lastUse(in paths: [String]) throws(KeysError) -> [String: Date] {
        var lastUse: [String: Date] = [:]
        for path in paths {
            for entry in try read(path) {
                guard case .success(let record) = entry.record else {
                    throw KeysError(.unreadableAuditFile, "\(entry.file):\(entry.line) is not an audit record")
                }
                guard record.result == "accepted", let fingerprint = record.keyFingerprint,
                    let time = ApprovalTimestamp(rfc3339: Substring(record.verifiedAt))?.date
                else { continue }
                lastUse[fingerprint] = max(lastUse[fingerprint] ?? time, time)
            }
        }
        return lastUse
    }
}
