/// The allow-list of every statement field (docs/protocol.md, "Field values"). Each rule either
/// accepts a value exactly as it will be written, or throws an `ApprovalRejection` naming the field.
/// Building a statement and parsing one apply the same rules, so whatever can be built can be
/// parsed back and nothing else parses.
enum ApprovalFieldRules {
    static let noneMarker = "(none)"

    /// Positive decimal without sign or leading zeros, at most `Int64.max`.
    static func number(_ text: Substring, field: String) throws -> Int {
        let bytes = text.utf8
        guard let first = bytes.first, first != UInt8(ascii: "0"), bytes.count <= 19,
            bytes.allSatisfy(isDigit), let value = Int(text), value > 0
        else {
            throw ApprovalRejection(
                .invalidNumber, "\(field) must be a positive decimal number without sign or leading zeros")
        }
        return value
    }

    static func positive(_ value: Int, field: String) throws {
        guard value > 0 else { throw ApprovalRejection(.invalidNumber, "\(field) must be positive") }
    }

    /// `http(s)://host[:port][/path]`, lower-case scheme and host, no default port, no trailing
    /// slash, no user info, query or fragment.
    static func serverURL(_ text: String) throws {
        let bad = { (why: String) in ApprovalRejection(.invalidServerURL, "server URL \(why)") }
        try length(text, max: ApprovalLimits.serverURLBytes, field: "server")
        let scheme: String
        if text.hasPrefix("https://") { scheme = "https" } else if text.hasPrefix("http://") { scheme = "http" }
        else { throw bad("must start with https:// or http:// (lower case)") }
        let rest = text.dropFirst(scheme.count + 3)
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        try authority(rest[..<authorityEnd], scheme: scheme, bad: bad)
        let path = rest[authorityEnd...]
        guard path.isEmpty || !path.hasSuffix("/") else { throw bad("must not end with /") }
        for segment in path.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            guard !segment.isEmpty, segment != ".", segment != "..",
                segment.utf8.allSatisfy({ isAlphanumeric($0) || "-._~".utf8.contains($0) })
            else { throw bad("path may only hold segments of letters, digits and - . _ ~") }
        }
    }

    private static func authority(
        _ text: Substring, scheme: String, bad: (String) -> ApprovalRejection
    ) throws {
        let (host, port) = splitPort(text)
        if let port {
            guard let value = try? number(port, field: "port"), value <= 65_535 else { throw bad("has an invalid port") }
            guard !(scheme == "https" && value == 443), !(scheme == "http" && value == 80) else {
                throw bad("must not name the default port")
            }
        }
        if host.hasPrefix("[") {
            let inner = host.dropFirst().dropLast()
            guard host.hasSuffix("]"), !inner.isEmpty,
                inner.utf8.allSatisfy({ isLowerHex($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") })
            else { throw bad("has an invalid IPv6 literal") }
            return
        }
        for label in host.split(separator: ".", omittingEmptySubsequences: false) {
            guard (1...63).contains(label.utf8.count), label.first != "-", label.last != "-",
                label.utf8.allSatisfy({ isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") })
            else { throw bad("host must be lower-case letters, digits, - and dots (punycode for IDN)") }
        }
    }

    /// Splits `host[:port]`, where host may be a bracketed IPv6 literal holding colons.
    private static func splitPort(_ text: Substring) -> (host: Substring, port: Substring?) {
        let hostEnd = text.hasPrefix("[") ? text.firstIndex(of: "]").map(text.index(after:)) ?? text.endIndex
            : text.firstIndex(of: ":") ?? text.endIndex
        let rest = text[hostEnd...]
        guard !rest.isEmpty else { return (text, nil) }
        guard rest.first == ":" else { return (text, nil) }  // junk after "]": host check rejects it
        return (text[..<hostEnd], rest.dropFirst())
    }

    /// `namespace/…/project`: 2 to 21 segments of letters, digits, `_`, `-`, `.`.
    static func projectPath(_ text: String) throws {
        try length(text, max: ApprovalLimits.projectPathBytes, field: "project-path")
        let segments = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (2...ApprovalLimits.projectPathSegments).contains(segments.count),
            segments.allSatisfy({ segment in
                !segment.isEmpty && segment.utf8.count <= 255 && segment != "." && segment != ".."
                    && segment.utf8.allSatisfy { isAlphanumeric($0) || "_-.".utf8.contains($0) }
            })
        else {
            throw ApprovalRejection(
                .invalidProjectPath,
                "project-path must be 2 to \(ApprovalLimits.projectPathSegments) segments of letters, digits, _ - . separated by /")
        }
    }

    /// Printable ASCII (space to `~`), without leading or trailing space.
    static func jobName(_ text: String) throws {
        try printableASCII(text, max: ApprovalLimits.jobNameBytes, field: "job name")
    }

    /// A branch or tag name as Git allows it (check-ref-format), restricted to ASCII.
    static func ref(_ text: String) throws {
        try length(text, max: ApprovalLimits.refBytes, field: "ref")
        let forbidden = "~^:?*[\\".utf8
        guard text.utf8.allSatisfy({ (0x21...0x7E).contains($0) && !forbidden.contains($0) }) else {
            throw ApprovalRejection(
                .valueCharacters, "ref may only hold printable ASCII without space and ~ ^ : ? * [ \\")
        }
        let segments = text.split(separator: "/", omittingEmptySubsequences: false)
        guard text != "@", !text.contains(".."), !text.contains("@{"), !text.hasSuffix("."),
            segments.allSatisfy({ !$0.isEmpty && !$0.hasPrefix(".") && !$0.hasSuffix(".lock") })
        else { throw ApprovalRejection(.invalidRef, "ref is not a valid Git ref name") }
    }

    /// 40 (SHA-1) or 64 (SHA-256) lower-case hexadecimal digits.
    static func commit(_ text: String) throws {
        guard text.utf8.count == 40 || text.utf8.count == 64, text.utf8.allSatisfy(isLowerHex) else {
            throw ApprovalRejection(.invalidCommit, "commit must be 40 or 64 lower-case hexadecimal digits")
        }
    }

    /// GitLab's environment-name alphabet: letters, digits, space, `_ / $ { } . -`; not starting
    /// or ending with `/` or space.
    static func environmentName(_ text: String) throws {
        try length(text, max: ApprovalLimits.environmentBytes, field: "environment")
        guard text.utf8.allSatisfy({ isAlphanumeric($0) || " _/${}.-".utf8.contains($0) }),
            !text.hasPrefix("/"), !text.hasSuffix("/"), !text.hasPrefix(" "), !text.hasSuffix(" ")
        else {
            throw ApprovalRejection(
                .valueCharacters,
                "environment may only hold letters, digits, space and _ / $ { } . - and not start or end with / or space")
        }
    }

    /// GitLab username: letters, digits, `_ . -`, starting with a letter, digit or `_`.
    static func username(_ text: String) throws {
        try length(text, max: ApprovalLimits.usernameBytes, field: "approver")
        guard let first = text.utf8.first, isAlphanumeric(first) || first == UInt8(ascii: "_"),
            text.utf8.allSatisfy({ isAlphanumeric($0) || "_.-".utf8.contains($0) })
        else {
            throw ApprovalRejection(
                .invalidUsername, "approver must be a GitLab username (letters, digits, _ . -)")
        }
    }

    static func nonce(_ text: Substring) throws -> [UInt8] {
        guard text.utf8.count == ApprovalLimits.nonceBytes * 2, text.utf8.allSatisfy(isLowerHex),
            let bytes = Hex.decode(text)
        else {
            throw ApprovalRejection(
                .invalidNonce, "nonce must be \(ApprovalLimits.nonceBytes * 2) lower-case hexadecimal digits")
        }
        return bytes
    }

    /// Letters, marks, numbers, punctuation, symbols and the ASCII space; no control, format,
    /// private-use, unassigned or separator characters other than space; no leading or trailing
    /// space, no leading combining mark (it would merge with the separator's space); at most 200
    /// scalars and 512 bytes; `(none)` is reserved for "no reason". Checked per scalar, not per
    /// `Character`, so a combining mark cannot hide a space.
    static func reason(_ text: String) throws {
        try length(text, max: ApprovalLimits.reasonBytes, field: "reason")
        guard text.unicodeScalars.count <= ApprovalLimits.reasonScalars else {
            throw ApprovalRejection(.valueTooLong, "reason is longer than \(ApprovalLimits.reasonScalars) characters")
        }
        let scalars = text.unicodeScalars
        guard scalars.allSatisfy(isPrintable), scalars.first != " ", scalars.last != " ",
            let first = scalars.first, !isCombiningMark(first)
        else {
            throw ApprovalRejection(
                .valueCharacters,
                "reason may only hold printable characters (no control or invisible characters, no newline), and not start with a space or combining mark or end with a space")
        }
        guard text != noneMarker else {
            throw ApprovalRejection(.valueReserved, "reason must not be the literal \(noneMarker)")
        }
    }

    // MARK: - Character classes

    private static func length(_ text: String, max: Int, field: String) throws {
        guard !text.isEmpty else { throw ApprovalRejection(.valueEmpty, "\(field) must not be empty") }
        guard text.utf8.count <= max else {
            throw ApprovalRejection(.valueTooLong, "\(field) is longer than \(max) bytes")
        }
    }

    private static func printableASCII(_ text: String, max: Int, field: String) throws {
        try length(text, max: max, field: field)
        guard text.utf8.allSatisfy({ (0x20...0x7E).contains($0) }), !text.hasPrefix(" "), !text.hasSuffix(" ") else {
            throw ApprovalRejection(
                .valueCharacters, "\(field) may only hold printable ASCII and not start or end with a space")
        }
    }

    private static func isCombiningMark(_ scalar: Unicode.Scalar) -> Bool {
        [.nonspacingMark, .spacingMark, .enclosingMark].contains(scalar.properties.generalCategory)
    }

    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark,
            .decimalNumber, .letterNumber, .otherNumber,
            .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation,
            .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    static func isLowerHex(_ byte: UInt8) -> Bool { isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte) }

    static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLowerAlphanumeric(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
}

/// Lower-case hexadecimal.
enum Hex {
    static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: Substring) -> [UInt8]? {
        let bytes = Array(text.utf8)
        guard bytes.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count / 2)
        for index in stride(from: 0, to: bytes.count, by: 2) {
            guard let high = nibble(bytes[index]), let low = nibble(bytes[index + 1]) else { return nil }
            out.append(high << 4 | low)
        }
        return out
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}
