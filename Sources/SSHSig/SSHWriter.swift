/// Writes RFC 4251 section 5 data types.
public struct SSHWriter {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func writeBytes<Bytes: Sequence>(_ raw: Bytes) where Bytes.Element == UInt8 {
        bytes.append(contentsOf: raw)
    }

    public mutating func writeByte(_ value: UInt8) {
        bytes.append(value)
    }

    public mutating func writeUInt32(_ value: UInt32) {
        bytes.append(contentsOf: [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)])
    }

    /// `string`: uint32 length followed by the bytes.
    public mutating func writeString<Bytes: Collection>(_ raw: Bytes) where Bytes.Element == UInt8 {
        writeUInt32(UInt32(truncatingIfNeeded: raw.count))
        bytes.append(contentsOf: raw)
    }

    public mutating func writeString(_ text: String) {
        writeString(Array(text.utf8))
    }

    /// `mpint` for a non-negative integer given as unsigned big-endian bytes: leading zeros removed,
    /// one 0x00 added when the top bit is set (two's complement), zero as the empty string.
    public mutating func writePositiveMPInt<Bytes: Collection>(_ magnitude: Bytes) where Bytes.Element == UInt8 {
        let trimmed = magnitude.drop { $0 == 0 }
        if let first = trimmed.first, first & 0x80 != 0 {
            writeString([0] + Array(trimmed))
        } else {
            writeString(Array(trimmed))
        }
    }
}
