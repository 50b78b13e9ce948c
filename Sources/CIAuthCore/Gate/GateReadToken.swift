import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The gate's own `read_api` token, for the reads anonymous requests cannot make (group members,
/// the pipeline's creator): a file named by `read_token_file`, readable by its owner only, like
/// `--token-file` and an SSH private key. The token is never logged, printed or put in an
/// explanation; only the file's path is.
enum GateReadToken {
    static let maximumBytes = 4096

    static func load(path: String) throws(GateFailure) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)
        guard descriptor >= 0 else { throw invalid(path, "cannot be opened: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        // The mode of the file opened, not of a path that could be swapped in between.
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { throw invalid(path, "is not a regular file") }
        guard info.st_mode & 0o077 == 0 else {
            throw invalid(path, "is readable or writable by group or others; run `chmod 600 \(path)`")
        }
        let data: Data
        do {
            data = try FileHandle(fileDescriptor: descriptor, closeOnDealloc: false).read(upToCount: maximumBytes + 1) ?? Data()
        } catch {
            throw invalid(path, "cannot be read")
        }
        let bytes = [UInt8](data)
        let count = bytes.count
        guard count <= maximumBytes else { throw invalid(path, "is larger than \(maximumBytes) bytes") }
        let firstLine = bytes[..<count].split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).first ?? []
        let token = String(decoding: firstLine, as: UTF8.self).trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r")))
        // A token goes into an HTTP header: printable ASCII without spaces, nothing else.
        guard !token.isEmpty, token.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw invalid(path, "holds no token on its first line")
        }
        return token
    }

    private static func invalid(_ path: String, _ problem: String) -> GateFailure {
        GateFailure(.configurationInvalid, "the read token file \(path) (read_token_file) \(problem)")
    }
}
