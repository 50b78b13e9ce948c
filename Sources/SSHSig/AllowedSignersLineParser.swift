/// Tokenizes one allowed_signers line the way OpenSSH's sshsig.c does
/// (`parse_principals_key_and_options`, `sshsigopt_parse`), but refuses anything it does not know.
enum AllowedSignersLineParser {
    /// nil for blank and comment lines.
    static func parse(_ rawLine: Substring) throws(SSHSigError) -> AllowedSignersEntry? {
        var rest = rawLine.drop { $0 == " " || $0 == "\t" }
        if rest.last == "\r" { rest = rest.dropLast() }
        guard let first = rest.first, first != "#" else { return nil }
        let principals = try takePrincipals(&rest)
        guard !principals.isEmpty else { throw .missingPrincipals }
        guard let next = peekToken(rest) else { throw .malformedKeyLine }
        var options = Options()
        if !SKKeyType.isKnownTypeName(String(next)) {
            options = try Options.parse(takeOptionsToken(&rest))
        }
        let tokens = rest.split(maxSplits: 2, whereSeparator: isBlank)
        guard tokens.count >= 2 else { throw .malformedKeyLine }
        if options.certAuthority { throw .certAuthorityUnsupported }
        let key = try SKPublicKey(typeName: String(tokens[0]), base64Blob: String(tokens[1]))
        let comment = tokens.count > 2 ? String(trimTrailingBlanks(tokens[2])) : nil
        return try AllowedSignersEntry(
            principals: principals, namespaces: options.namespaces, validAfter: options.validAfter,
            validBefore: options.validBefore, publicKey: key, comment: comment?.isEmpty == true ? nil : comment)
    }

    /// The first field: a bare word, or a double-quoted string that may contain blanks.
    private static func takePrincipals(_ rest: inout Substring) throws(SSHSigError) -> String {
        if rest.first == "\"" {
            rest = rest.dropFirst()
            guard let close = rest.firstIndex(of: "\"") else { throw .unterminatedQuote }
            let principals = String(rest[..<close])
            rest = rest[rest.index(after: close)...]
            guard rest.first.map(isBlank) ?? true else { throw .malformedKeyLine }
            rest = rest.drop(while: isBlank)
            return principals
        }
        let end = rest.firstIndex(where: isBlank) ?? rest.endIndex
        let principals = String(rest[..<end])
        guard !principals.contains("\"") else { throw .malformedKeyLine }
        rest = rest[end...].drop(while: isBlank)
        return principals
    }

    private static func trimTrailingBlanks(_ text: Substring) -> Substring {
        var text = text
        while let last = text.last, isBlank(last) { text = text.dropLast() }
        return text
    }

    private static func peekToken(_ rest: Substring) -> Substring? {
        rest.split(maxSplits: 1, whereSeparator: isBlank).first
    }

    /// The options field ends at the first blank outside double quotes.
    private static func takeOptionsToken(_ rest: inout Substring) throws(SSHSigError) -> Substring {
        var inQuotes = false
        var escaped = false
        var index = rest.startIndex
        while index < rest.endIndex {
            let character = rest[index]
            if escaped {
                escaped = false
            } else if character == "\\" && inQuotes {
                escaped = true
            } else if character == "\"" {
                inQuotes.toggle()
            } else if !inQuotes && isBlank(character) {
                break
            }
            index = rest.index(after: index)
        }
        guard !inQuotes else { throw .unterminatedQuote }
        let token = rest[..<index]
        rest = rest[index...].drop(while: isBlank)
        return token
    }

    static func isBlank(_ character: Character) -> Bool {
        character == " " || character == "\t"
    }
}

/// The options OpenSSH 9.2 defines for allowed_signers: `cert-authority`, `namespaces="…"`,
/// `valid-after="…"`, `valid-before="…"` (keywords case-insensitive, comma-separated).
struct Options {
    var certAuthority = false
    var namespaces: String?
    var validAfter: SSHTimestamp?
    var validBefore: SSHTimestamp?

    static func parse(_ token: Substring) throws(SSHSigError) -> Options {
        var options = Options()
        var rest = token
        while true {
            try options.parseOne(&rest)
            guard let separator = rest.first else { return options }
            guard separator == "," else { throw .unknownOption(String(rest)) }
            rest = rest.dropFirst()
            guard !rest.isEmpty else { throw .unknownOption("") }
        }
    }

    private mutating func parseOne(_ rest: inout Substring) throws(SSHSigError) {
        let keywordEnd = rest.firstIndex(where: { $0 == "=" || $0 == "," }) ?? rest.endIndex
        let keyword = rest[..<keywordEnd].lowercased()
        rest = rest[keywordEnd...]
        switch keyword {
        case "cert-authority":
            guard !certAuthority else { throw .duplicateOption(keyword) }
            certAuthority = true
        case "namespaces":
            guard namespaces == nil else { throw .duplicateOption(keyword) }
            namespaces = try Options.quotedValue(of: keyword, &rest)
        case "valid-after":
            guard validAfter == nil else { throw .duplicateOption(keyword) }
            validAfter = try SSHTimestamp(try Options.quotedValue(of: keyword, &rest))
        case "valid-before":
            guard validBefore == nil else { throw .duplicateOption(keyword) }
            validBefore = try SSHTimestamp(try Options.quotedValue(of: keyword, &rest))
        default:
            throw .unknownOption(keyword)
        }
    }

    /// `="value"` with `\"` as an escaped quote (OpenSSH `opt_dequote`); the value must not be empty.
    private static func quotedValue(of keyword: String, _ rest: inout Substring) throws(SSHSigError) -> String {
        guard rest.hasPrefix("=\"") else { throw .emptyOptionValue(keyword) }
        rest = rest.dropFirst(2)
        var value = ""
        while let character = rest.first {
            rest = rest.dropFirst()
            if character == "\\" && rest.first == "\"" {
                value.append("\"")
                rest = rest.dropFirst()
            } else if character == "\"" {
                guard !value.isEmpty else { throw .emptyOptionValue(keyword) }
                return value
            } else {
                value.append(character)
            }
        }
        throw .unterminatedQuote
    }
}
