import Foundation

/// The files `ciauth verify` leaves for `artifacts:`: the audit record (always, accepted or not)
/// and, on success, a dotenv report for later jobs (removed on any other outcome).
public enum VerifyFiles {
    static let defaultAuditFile = "ciauth-audit.json"

    static func write(_ report: inout VerifyReport, flags: VerifyRequest.Flags, environment: [String: String], directory: URL) {
        guard flags.auditFile != nil || VerifyJobTruth.isInsideJob(environment) else { return }
        let audit = url(flags.auditFile ?? defaultAuditFile, in: directory)
        do {
            try Data((report.audit.jsonLine + "\n").utf8).write(to: audit, options: .atomic)
        } catch {
            report.fileErrors.append("cannot write the audit record to \(audit.path): \(error.localizedDescription)")
        }
        guard let dotenv = flags.dotenvFile else { return }
        let target = url(dotenv, in: directory)
        guard report.accepted != nil else {
            if let problem = removeStale(target) { report.fileErrors.append(problem) }
            return
        }
        do {
            try Data((report.dotenvLines.joined(separator: "\n") + "\n").utf8).write(to: target, options: .atomic)
        } catch {
            report.fileErrors.append("cannot write the dotenv report to \(target.path): \(error.localizedDescription)")
        }
    }

    /// For a run that stops before the workflow (its TLS or proxy settings are refused): removes
    /// the dotenv file at `path`; returns what went wrong, if anything.
    public static func discardDotenv(_ path: String, in directory: URL) -> String? {
        removeStale(url(path, in: directory))
    }

    /// A dotenv file already in the work tree (an artifact, a cache, a commit) must not be uploaded
    /// as if this run had accepted: on any other outcome it is removed. Returns what went wrong.
    private static func removeStale(_ target: URL) -> String? {
        guard unlink(target.path) != 0, errno != ENOENT else { return nil }
        return "cannot remove the earlier dotenv report \(target.path): \(String(cString: strerror(errno)))"
    }

    private static func url(_ path: String, in directory: URL) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : directory.appendingPathComponent(path)
    }
}
