import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Writes files that only their owner may read (mode 0600, directories 0700), atomically:
/// the content goes to a temporary file in the same directory that is renamed into place,
/// so a crash never leaves a half-written credential.
public enum PrivateFile {
    public static func write(_ bytes: [UInt8], to url: URL, replacing: Bool = false) throws(PrivateFileError) {
        let directory = url.deletingLastPathComponent()
        try createDirectory(directory)
        if !replacing, FileManager.default.fileExists(atPath: url.path) {
            throw .exists(url.path)
        }
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .system("create \(temporary.path)", errno) }
        var remaining = bytes[...]
        while !remaining.isEmpty {
            let written = remaining.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(descriptor)
                unlink(temporary.path)
                throw .system("write \(temporary.path)", code)
            }
            remaining = remaining.dropFirst(written)
        }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard synced, rename(temporary.path, url.path) == 0 else {
            let code = errno
            unlink(temporary.path)
            throw .system("save \(url.path)", code)
        }
    }

    /// Creates the directory (and parents) with mode 0700; refuses an existing one that others can read.
    public static func createDirectory(_ url: URL) throws(PrivateFileError) {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .system("create directory \(url.path)", EIO)
        }
        var info = stat()
        guard stat(url.path, &info) == 0 else { throw .system("inspect \(url.path)", errno) }
        if info.st_mode & 0o077 != 0 {
            throw .tooOpen(url.path)
        }
    }
}

public enum PrivateFileError: Error, Equatable, CustomStringConvertible {
    case exists(String)
    case tooOpen(String)
    case system(String, Int32)

    public var description: String {
        switch self {
        case .exists(let path): "\(path) already exists; refusing to overwrite it"
        case .tooOpen(let path): "\(path) is readable by other users; run `chmod 700 \(path)` and try again"
        case .system(let action, let code): "cannot \(action): \(String(cString: strerror(code)))"
        }
    }
}
