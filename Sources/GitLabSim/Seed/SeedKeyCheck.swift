import Foundation

/// Rejects seed keys the seed types do not know (a misspelt setting would otherwise fall
/// back to its default silently). The decoded seed is encoded again; every key of the
/// original JSON must reappear at the same place, unless its value was null. Works on
/// `JSONSerialization` trees: only key names matter here, and large seeds stay fast.
enum SeedKeyCheck {
    static func unknownKeys(original: Data, decoded: Data) -> [String]? {
        guard let given = try? JSONSerialization.jsonObject(with: original, options: [.fragmentsAllowed]),
              let known = try? JSONSerialization.jsonObject(with: decoded, options: [.fragmentsAllowed])
        else { return nil }
        return unknownKeys(given, known, path: "")
    }

    private static func unknownKeys(_ given: Any, _ known: Any, path: String) -> [String] {
        if let given = given as? [String: Any], let known = known as? [String: Any] {
            return given.keys.sorted().flatMap { key -> [String] in
                let here = path.isEmpty ? key : "\(path).\(key)"
                guard let counterpart = known[key] else { return given[key] is NSNull ? [] : [here] }
                return unknownKeys(given[key] ?? NSNull(), counterpart, path: here)
            }
        }
        if let given = given as? [Any], let known = known as? [Any], given.count == known.count {
            return zip(given, known).enumerated().flatMap { index, pair in
                unknownKeys(pair.0, pair.1, path: "\(path)[\(index)]")
            }
        }
        return []
    }
}
