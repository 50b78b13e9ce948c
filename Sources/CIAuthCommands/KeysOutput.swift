import CIAuthCore
import Foundation

/// Renders key listings and reports: aligned tables for people, sorted JSON for scripts.
enum KeysOutput {
    /// Columns padded to their widest cell; the last column is not padded.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let all = [header] + rows.map { $0.map(Terminal.safe) }
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.indices.map { column in
                column == row.count - 1 ? row[column] : row[column].padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    static let keyHeader = ["OWNER", "STATE", "ACCESS", "ID", "FINGERPRINT", "TYPE", "USAGE", "CREATED", "EXPIRES", "AGE", "TITLE"]

    static func keyRow(_ key: ProfileKey, now: Date) -> [String] {
        [
            key.owner.username, key.owner.state, key.owner.membership ?? "-", String(key.id), key.fingerprint,
            shortType(key.type), key.usage, key.createdAt.map(KeysTime.day) ?? "-",
            key.expiresAt.map(KeysTime.day) ?? "never", key.ageInDays(at: now).map { "\($0)d" } ?? "-", printable(key.title),
        ]
    }

    static func shortType(_ type: String) -> String {
        switch type {
        case "sk-ssh-ed25519@openssh.com": "ed25519-sk"
        case "sk-ecdsa-sha2-nistp256@openssh.com": "ecdsa-sk"
        default: printable(type)
        }
    }

    /// GitLab text with control characters replaced, so a title cannot move the cursor.
    static func printable(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : Character($0) })
    }
}
