import Foundation
import Yams

/// A CI/CD component file interpolated with inputs the way GitLab does it when a pipeline is
/// created (lib/gitlab/ci/config/interpolation/: inputs.rb, inputs/*_input.rb, template.rb,
/// block.rb, access.rb, functions/), then one job's commands flattened as
/// Gitlab::Ci::Config::Entry::Commands does. Everything GitLab refuses is refused here with its
/// message; what this harness does not model (`expand_vars`, arrays inside strings) is refused
/// too, never approximated.
struct ComponentTemplate {
    struct Refusal: Error, CustomStringConvertible, Equatable {
        let description: String
        init(_ text: String) { description = text }
    }

    /// The interpolated configuration (the YAML document after `---`).
    let config: [String: Any]

    init(path: URL, inputs: [String: Any]) throws {
        let text = try String(contentsOf: path, encoding: .utf8)
        guard let separator = text.range(of: "\n---\n") else { throw Refusal("no `---` after the spec header") }
        let header = try Yams.load(yaml: String(text[..<separator.lowerBound])) as? [String: Any]
        let specs = (header?["spec"] as? [String: Any])?["inputs"] as? [String: Any] ?? [:]
        let values = try Self.resolve(specs: specs, arguments: inputs)
        guard let body = try Yams.load(yaml: String(text[separator.upperBound...])) else { throw Refusal("empty configuration") }
        guard let config = try Self.interpolate(body, inputs: values) as? [String: Any] else {
            throw Refusal("the configuration is not a mapping")
        }
        self.config = config
    }

    /// The job's `before_script` then `script`, flattened, as the runner's shell gets them, with
    /// the runner's `set -e` (it runs the commands of both in one shell).
    func shellScript(job name: String) throws -> String {
        guard let job = config[name] as? [String: Any] else { throw Refusal("no job \(name)") }
        let commands = try Self.flatten(job["before_script"] ?? [], depth: 0) + Self.flatten(job["script"] ?? [], depth: 0)
        return (["set -e"] + commands).joined(separator: "\n")
    }

    // MARK: - Inputs (inputs.rb and the input types)

    static func resolve(specs: [String: Any], arguments: [String: Any]) throws -> [String: Any] {
        let unknown = arguments.keys.filter { specs[$0] == nil }.sorted()
        if !unknown.isEmpty { throw Refusal("unknown input arguments: \(unknown.joined(separator: ", "))") }
        var values: [String: Any] = [:]
        for (name, rawSpec) in specs.sorted(by: { $0.key < $1.key }) {
            let spec = rawSpec as? [String: Any] ?? [:]
            let type = spec["type"] as? String ?? "string"
            guard ["string", "array", "boolean", "number"].contains(type) else {
                throw Refusal("unknown input specification for `\(name)` (valid types: array, boolean, number, string)")
            }
            let provided = arguments[name]
            let required = spec["default"] == nil
            if required && provided == nil { throw Refusal("`\(name)` input: required value has not been provided") }
            guard let value = provided ?? spec["default"] else { continue }
            guard matches(type, value) else {
                throw Refusal("`\(name)` input: \(provided == nil ? "default" : "provided") value is not a\(type == "array" ? "n" : "") \(type)")
            }
            if let options = spec["options"] as? [Any], !options.contains(where: { "\($0)" == "\(value)" }) {
                throw Refusal("`\(name)` input: `\(value)` cannot be used because it is not in the list of allowed options")
            }
            if type == "string", let pattern = spec["regex"] as? String, let text = value as? String {
                let regex = try NSRegularExpression(pattern: pattern)
                if regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
                    throw Refusal("`\(name)` input: \(provided == nil ? "default" : "provided") value does not match required RegEx pattern")
                }
            }
            values[name] = value
        }
        return values
    }

    private static func matches(_ type: String, _ value: Any) -> Bool {
        switch type {
        case "array": value is [Any]
        case "boolean": value is Bool
        case "number": (value is Int || value is Double) && !(value is Bool)
        default: value is String
        }
    }

    // MARK: - Interpolation (template.rb, block.rb, access.rb)

    /// `(?<block>\$\[\[\s*(?<data>\S{1}.*?\S{1})\s*\]\])`, as Template::BLOCK_REGEXP.
    static let blockPattern = try! NSRegularExpression(pattern: #"\$\[\[\s*(\S{1}.*?\S{1})\s*\]\]"#)

    /// Every string, mapping keys included; a node that is exactly one block takes the input's
    /// value with its type, otherwise each block is replaced by the value's text.
    static func interpolate(_ node: Any, inputs: [String: Any]) throws -> Any {
        switch node {
        case let mapping as [String: Any]:
            var result: [String: Any] = [:]
            for (key, value) in mapping {
                guard let newKey = try interpolate(key, inputs: inputs) as? String else { throw Refusal("a key interpolated to a non-string") }
                result[newKey] = try interpolate(value, inputs: inputs)
            }
            return result
        case let sequence as [Any]:
            return try sequence.map { try interpolate($0, inputs: inputs) }
        case let text as String where text.contains("$[["):
            let matches = blockPattern.matches(in: text, range: NSRange(text.startIndex..., in: text))
            if matches.isEmpty { return text }
            let blocks = try matches.map { match -> (block: String, value: Any) in
                let block = String(text[Range(match.range, in: text)!])
                let data = String(text[Range(match.range(at: 1), in: text)!])
                return (block, try evaluate(data, inputs: inputs))
            }
            if blocks.count == 1 && blocks[0].block.count == text.count { return blocks[0].value }
            return try blocks.reduce(text) { text, block in
                text.replacingOccurrences(of: block.block, with: try rubyString(block.value))
            }
        default:
            return node
        }
    }

    /// `<access> | <function> | …`: `inputs.NAME`, then at most three functions.
    static func evaluate(_ data: String, inputs: [String: Any]) throws -> Any {
        let parts = data.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let objects = parts[0].split(separator: ".", maxSplits: 4, omittingEmptySubsequences: false).map(String.init)
        guard objects.count > 1 else { throw Refusal("invalid interpolation access pattern") }
        guard objects[0] == "inputs" else { throw Refusal("unknown interpolation key: `\(objects[0])`") }
        guard objects.count == 2, let value = inputs[objects[1]] else { throw Refusal("unknown interpolation key: `\(objects[1])`") }
        let functions = parts.dropFirst()
        if functions.count > 3 { throw Refusal("too many functions in interpolation block") }
        return try functions.reduce(value) { value, function in try apply(function, to: value) }
    }

    private static func apply(_ function: String, to value: Any) throws -> Any {
        if function == "posix_escape" {
            guard let text = value as? String else {
                throw Refusal("error in `posix_escape` function: invalid input type: posix_escape can only be used with string inputs")
            }
            return shellEscape(text)
        }
        throw Refusal("function `\(function)` is not modelled by this harness")
    }

    /// Ruby's `Shellwords.shellescape`.
    static func shellEscape(_ text: String) -> String {
        if text.isEmpty { return "''" }
        let safe = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.,:+/@\n")
        return text.map { character in
            if character == "\n" { return "'\n'" }
            return safe.contains(character) ? String(character) : "\\" + String(character)
        }.joined()
    }

    /// `value.to_s` for the types whose text GitLab's interpolation gives unambiguously.
    private static func rubyString(_ value: Any) throws -> String {
        switch value {
        case let text as String: return text
        case let flag as Bool: return flag ? "true" : "false"
        case let number as Int: return String(number)
        default: throw Refusal("interpolating \(type(of: value)) inside a string is not modelled by this harness")
        }
    }

    // MARK: - Commands (Entry::Commands: strings, or nested arrays up to 10 levels)

    static func flatten(_ node: Any, depth: Int) throws -> [String] {
        if let text = node as? String { return [text] }
        guard let items = node as? [Any], depth < 10 else {
            throw Refusal("config should be a string or a nested array of strings up to 10 levels deep")
        }
        return try items.flatMap { try flatten($0, depth: depth + 1) }
    }
}
