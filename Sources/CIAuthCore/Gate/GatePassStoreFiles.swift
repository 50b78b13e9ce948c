import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The pass store's files must be the gate's alone: an account that could rewrite the database
/// or its log could delete the passes that stop a replay. Before SQLite opens the store, its
/// directory is created private when missing, the database is created with mode 0600, and the
/// directory, database and log (where they exist) must not be symbolic links, must belong to the
/// gate's user or root, and must not be writable by group or others.
enum GatePassStoreFiles {
    static func prepare(_ path: String) throws(GateFailure) {
        let directory = (path as NSString).deletingLastPathComponent
        if !FileManager.default.fileExists(atPath: directory) {
            try? FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let created = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        if created >= 0 { close(created) }
        try requirePrivate(directory, kind: S_IFDIR)
        try requirePrivate(path, kind: S_IFREG)
        try requirePrivate(path + "-wal", kind: S_IFREG)
    }

    private static func requirePrivate(_ path: String, kind: mode_t) throws(GateFailure) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return }
            throw GateFailure(.passStoreFailed, "cannot inspect the pass store's \(path): \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & S_IFMT == kind else {
            throw GateFailure(.passStoreFailed, "the pass store's \(path) is a symbolic link or another kind of file; it must be a plain \(kind == S_IFDIR ? "directory" : "file")")
        }
        guard info.st_uid == geteuid() || info.st_uid == 0 else {
            throw GateFailure(.passStoreFailed, "the pass store's \(path) belongs to user \(info.st_uid), not to the gate's user: another account could remove recorded passes")
        }
        guard info.st_mode & 0o022 == 0 else {
            throw GateFailure(
                .passStoreFailed,
                "the pass store's \(path) is writable by group or others, who could remove recorded passes; run `chmod go-w \(path)`")
        }
    }
}
