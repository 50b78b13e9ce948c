import Foundation

/// Request bodies: small, deterministic (sorted keys) JSON.
enum JSONBody {
    static func encode<T: Encodable>(_ value: T) throws(GitLabError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(value))
        } catch {
            throw GitLabError(.invalidArgument, hint: "the request body could not be encoded as JSON")
        }
    }
}
