/// Standard base64 (RFC 4648 section 4) with strict decoding: canonical padding, zero pad bits, no
/// characters outside the alphabet. Whitespace is only skipped where a caller strips it first
/// (armored blocks).
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, symbol) in alphabet.enumerated() {
            table[Int(symbol)] = UInt8(index)
        }
        return table
    }()

    static func encode<Bytes: Collection>(_ bytes: Bytes, padded: Bool = true) -> String where Bytes.Element == UInt8 {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next()
            let third = iterator.next()
            let group = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
            output.append(alphabet[Int(group >> 18 & 0x3F)])
            output.append(alphabet[Int(group >> 12 & 0x3F)])
            if second != nil { output.append(alphabet[Int(group >> 6 & 0x3F)]) } else if padded { output.append(UInt8(ascii: "=")) }
            if third != nil { output.append(alphabet[Int(group & 0x3F)]) } else if padded { output.append(UInt8(ascii: "=")) }
        }
        return String(decoding: output, as: UTF8.self)
    }

    static func decode<Text: StringProtocol>(_ text: Text) throws(SSHSigError) -> [UInt8] {
        let symbols = Array(text.utf8)
        guard symbols.count % 4 == 0 else { throw .badBase64 }
        let padding = symbols.reversed().prefix { $0 == UInt8(ascii: "=") }.count
        guard padding <= 2 else { throw .badBase64 }
        var output: [UInt8] = []
        output.reserveCapacity(symbols.count / 4 * 3)
        var group: UInt32 = 0
        for (index, symbol) in symbols.dropLast(padding).enumerated() {
            let value = decodeTable[Int(symbol)]
            guard value != 0xFF else { throw .badBase64 }
            group = group << 6 | UInt32(value)
            if index % 4 == 3 {
                output.append(contentsOf: [UInt8(group >> 16 & 0xFF), UInt8(group >> 8 & 0xFF), UInt8(group & 0xFF)])
                group = 0
            }
        }
        try appendFinalGroup(group, padding: padding, to: &output)
        return output
    }

    /// The last quantum before `=` padding: its unused low bits must be zero (canonical encoding).
    private static func appendFinalGroup(_ group: UInt32, padding: Int, to output: inout [UInt8]) throws(SSHSigError) {
        switch padding {
        case 1:
            guard group & 0x3 == 0 else { throw .badBase64 }
            output.append(contentsOf: [UInt8(group >> 10 & 0xFF), UInt8(group >> 2 & 0xFF)])
        case 2:
            guard group & 0xF == 0 else { throw .badBase64 }
            output.append(UInt8(group >> 4 & 0xFF))
        default:
            break
        }
    }
}
