import CIAuthCore
import Foundation
import Testing

/// The `--json` conventions of docs/json.md, checked on a command's real stdout: one object
/// whose `schema` is the command's, every member name snake_case. Two members hold data keyed
/// by names that are not ours and are left alone: `audit` (the record in its persisted format)
/// and `environment` (`CIAUTH_*` variable names).
enum JSONShape {
    static let dataKeyed: Set<String> = ["audit", "environment"]

    @discardableResult
    static func check(_ stdout: String, _ schema: JSONSchema, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let parsed = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
        let object = try #require(parsed as? [String: Any], "the document is an object: \(stdout)", sourceLocation: sourceLocation)
        #expect(object["schema"] as? String == schema.rawValue, sourceLocation: sourceLocation)
        let bad = badKeys(object, path: "")
        #expect(bad.isEmpty, "member names that are not snake_case: \(bad)", sourceLocation: sourceLocation)
        return object
    }

    /// Lower-case words of letters and digits joined by `_`, none of them a stray letter (the
    /// mark of an acronym split apart, like `job_i_ds`).
    static func isSnakeCase(_ key: String) -> Bool {
        let words = key.split(separator: "_", omittingEmptySubsequences: false)
        return !words.isEmpty && words.allSatisfy { word in
            word.count > 1 && word.allSatisfy { ($0.isLowercase && $0.isASCII) || $0.isNumber } && word.first?.isLetter == true
        }
    }

    private static func badKeys(_ value: Any, path: String) -> [String] {
        if let array = value as? [Any] {
            return array.enumerated().flatMap { badKeys($0.element, path: "\(path)[\($0.offset)]") }
        }
        guard let object = value as? [String: Any] else { return [] }
        return object.flatMap { key, member -> [String] in
            let here = path.isEmpty ? key : "\(path).\(key)"
            let own = isSnakeCase(key) ? [] : [here]
            return dataKeyed.contains(key) ? own : own + badKeys(member, path: here)
        }
    }
}
