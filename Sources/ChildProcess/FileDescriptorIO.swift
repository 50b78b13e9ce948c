import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Reads and writes on raw descriptors, retrying when a signal interrupts a call (Foundation's
/// `FileHandle` stops the program instead).
public enum FileDescriptorIO {
    /// Everything until end of file (or an error other than an interruption).
    public static func readAll(_ fd: Int32) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                data.append(contentsOf: buffer[0..<count])
            } else if count == 0 || errno != EINTR {
                return data
            }
        }
    }

    /// What one `read` returns: some bytes, or empty at end of file or on an error.
    public static func readSome(_ fd: Int32, upTo limit: Int = 65_536) -> Data {
        var buffer = [UInt8](repeating: 0, count: limit)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count >= 0 { return Data(buffer[0..<count]) }
            if errno != EINTR { return Data() }
        }
    }

    /// The bytes before the next newline, or nil at end of file before one (at most `limit` bytes).
    public static func readLine(_ fd: Int32, limit: Int = 4096) -> String? {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while bytes.count < limit {
            let count = read(fd, &byte, 1)
            if count == 1 {
                if byte == 0x0a { return String(decoding: bytes, as: UTF8.self) }
                bytes.append(byte)
            } else if count == 0 || errno != EINTR {
                return nil
            }
        }
        return nil
    }

    /// Writes all of `data`; false when the reader went away.
    @discardableResult
    public static func writeAll(_ data: Data, to fd: Int32) -> Bool {
        let bytes = [UInt8](data)
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                offset += count
            } else if count < 0, errno == EINTR {
                continue
            } else {
                return false
            }
        }
        return true
    }
}
