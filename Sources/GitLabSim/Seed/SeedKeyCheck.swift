import Foundation

/// Rejects seed keys the seed types do not know (a misspelt setting would otherwise fall
/// back to its default silently). The decoded seed is encoded again; every key of the
/// original JSON must reappear at the same place, unless its value was null.
enum SeedKeyCheck {
    static func unknownKeys(original: JSONValue, decoded: JSONValue, path: String = "") -> [String] {
        switch (original, decoded) {
        case (.object(let given), .object(let known)):
            let knownKeys = Dictionary(known, uniquingKeysWith: { first, _ in first })
            return given.flatMap { key, value -> [String] in
                let here = path.isEmpty ? key : "\(path).\(key)"
                guard let counterpart = knownKeys[key] else { return value == .null ? [] : [here] }
                return unknownKeys(original: value, decoded: counterpart, path: here)
            }
        case (.array(let given), .array(let known)) where given.count == known.count:
            return zip(given, known).enumerated().flatMap { index, pair in
                unknownKeys(original: pair.0, decoded: pair.1, path: "\(path)[\(index)]")
            }
        default:
            return []
        }
    }
}
