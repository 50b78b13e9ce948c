/// A reader for the ordinary command lines of the commands that run in every job and at every
/// gate (`verify`, `gate check`, `gate exec`, `check-approval`), so that they start without the
/// full parser: swift-argument-parser finds a command's options by reflection, and on a static
/// binary each first lookup of a type's conformance scans every conformance record of the
/// binary — most of such a command's start-up (docs/architecture.md, "What a start costs").
///
/// It accepts only what is unambiguous: known long options with their value after `=` or in the
/// next word, known flags, each at most once (repeatable options excepted), and for a command
/// that takes one, everything after `--`. Anything else (help, a positional word, a value that
/// starts with `-`, an empty `--x=`, an unknown or repeated option, a missing required option,
/// settings that fail validation) yields nil, and the full parser reads the line — and owns
/// every error message.
/// Tests check the two agree on every option the full parser defines.
struct DirectCommandLine<Settings>: Sendable {
    enum Option {
        /// `--name VALUE` or `--name=VALUE`.
        case value(@Sendable (inout Settings, String) -> Void)
        /// Like `value`, and may be given again (each value appended).
        case repeatable(@Sendable (inout Settings, String) -> Void)
        /// A flag without a value; `--x` and `--no-x` of one pair are two entries.
        case flag(@Sendable (inout Settings) -> Void)
    }

    /// Options by their full spelling (`--allowed-signers`, `-v`). Lists, not dictionaries or
    /// sets: those of strings would cost the start a `String: Hashable` lookup (a scan of every
    /// conformance record), more than searching a few dozen entries.
    let options: [(spelling: String, option: Option)]
    /// Spellings that must be present, and pairs that count as one option (`--no-x` as `--x`).
    var required: [String] = []
    var pairs: [(spelling: String, counted: String)] = []
    /// Receives the words after `--`; nil when the command takes none.
    var trailing: (@Sendable (inout Settings, [String]) -> Void)?
    /// The command's own checks of its settings, the ones its full definition runs.
    var isValid: @Sendable (Settings) -> Bool = { _ in true }

    func read(_ words: ArraySlice<String>, into initial: Settings) -> Settings? {
        var settings = initial
        var seen: [String] = []
        var index = words.startIndex
        while index < words.endIndex {
            let word = words[index]
            index += 1
            if word == "--" {
                guard let trailing else { return nil }
                trailing(&settings, Array(words[index...]))
                index = words.endIndex
                break
            }
            guard word.hasPrefix("-"), word.count > 1 else { return nil }
            let (name, inline) = Self.split(word)
            guard let option = options.first(where: { $0.spelling == name })?.option else { return nil }
            let identity = pairs.first { $0.spelling == name }?.counted ?? name
            let repeated = seen.contains(identity)
            seen.append(identity)
            switch option {
            case .flag(let set):
                guard inline == nil, !repeated else { return nil }
                set(&settings)
            case .value(let set), .repeatable(let set):
                if case .value = option, repeated { return nil }
                let value: String
                if let inline {
                    guard !inline.isEmpty else { return nil }  // `--x=`: the full parser's error
                    value = inline
                } else {
                    guard index < words.endIndex else { return nil }
                    value = words[index]
                    index += 1
                }
                guard !value.hasPrefix("-") else { return nil }
                set(&settings, value)
            }
        }
        guard required.allSatisfy({ seen.contains($0) }), isValid(settings) else { return nil }
        return settings
    }

    /// `--name=value` into its two parts; a short option or a bare long one has no inline value.
    private static func split(_ word: String) -> (String, String?) {
        guard word.hasPrefix("--"), let equals = word.firstIndex(of: "=") else { return (word, nil) }
        return (String(word[..<equals]), String(word[word.index(after: equals)...]))
    }
}
