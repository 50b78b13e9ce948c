/// Base64url (RFC 4648 section 5) without padding, decoded strictly: only `A–Z a–z 0–9 - _`,
/// no `=`, no whitespace, no length of 1 mod 4, and unused trailing bits must be zero. So every
/// byte string has exactly one accepted text, and a transport value cannot be altered unnoticed
/// by flipping spare bits.
enum ApprovalBase64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, symbol) in alphabet.enumerated() { table[Int(symbol)] = UInt8(index) }
        return table
    }()

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var group: UInt32 = 0
            for (offset, byte) in chunk.enumerated() { group |= UInt32(byte) << (16 - 8 * offset) }
            for symbol in 0...chunk.count { out.append(alphabet[Int(group >> (18 - 6 * symbol) & 0x3F)]) }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Nil for any text that `encode` would not produce.
    static func decode(_ text: Substring) -> [UInt8]? {
        let symbols = Array(text.utf8)
        guard symbols.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(symbols.count * 3 / 4)
        var index = 0
        while index < symbols.count {
            let chunk = symbols[index..<min(index + 4, symbols.count)]
            var group: UInt32 = 0
            for (offset, symbol) in chunk.enumerated() {
                let value = decodeTable[Int(symbol)]
                guard value != 0xFF else { return nil }
                group |= UInt32(value) << (18 - 6 * offset)
            }
            let byteCount = chunk.count - 1
            let spareBits = group & ((1 << (24 - 8 * byteCount)) - 1)
            guard spareBits == 0 else { return nil }
            for offset in 0..<byteCount { out.append(UInt8(truncatingIfNeeded: group >> (16 - 8 * offset))) }
            index += 4
        }
        return out
    }
}
