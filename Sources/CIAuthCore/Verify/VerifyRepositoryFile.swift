import Foundation

/// A file of the repository that verify obeys (the policy file, an `allowed_signers` file):
/// exactly the bytes committed in the commit GitLab names, read from git's objects with every
/// hash checked, never the work tree's copy. A work-tree copy that differs, or one the commit does
/// not have, is tampering: a reused build directory (`GIT_STRATEGY=none`, `GIT_CLEAN_FLAGS=none`)
/// or an earlier job on the same runner can leave either behind.
struct VerifyRepositoryFile {
    /// Slash-separated, relative to the repository root.
    let path: String
    /// Names the rejections: `<prefix>-modified`, `<prefix>-untracked`.
    let reasonPrefix: String
    let sizeLimit: Int

    /// The committed bytes, after comparing them with the work tree's copy; nil when the commit
    /// has no such file (and the work tree has none either).
    func committed(commit: String, directory: URL) throws(VerifyFailure) -> [UInt8]? {
        guard let reader = VerifyCheckout.committedFiles(in: directory) else {
            throw CommittedFile.failure("git is not installed, so the committed \(path) cannot be read")
        }
        let bytes = try reader.read(path, commit: commit, limit: sizeLimit)
        try compareWithWorkTree(bytes, commit: commit, directory: directory)
        return bytes
    }

    private func compareWithWorkTree(_ committed: [UInt8]?, commit: String, directory: URL) throws(VerifyFailure) {
        let file = directory.appendingPathComponent(path).path
        let inWorkTree = FileManager.default.fileExists(atPath: file)
        switch (committed, inWorkTree) {
        case (nil, false):
            return
        case (nil, true):
            throw VerifyFailure(
                "\(reasonPrefix)-untracked", .tampering,
                "\(file) is not part of commit \(commit): it was left in the build directory or written by the job, and is never obeyed",
                remedy: "remove it, or commit it; do not reuse build directories with GIT_CLEAN_FLAGS=none or GIT_STRATEGY=none")
        case (let committed?, _):
            let data = inWorkTree ? FileManager.default.contents(atPath: file) : nil
            guard let data, [UInt8](data) == committed else {
                throw VerifyFailure(
                    "\(reasonPrefix)-modified", .tampering,
                    "\(file) differs from the copy committed in \(commit) (or is missing): the work tree was changed",
                    remedy: "let the runner check out the commit afresh and do not edit \(path) in the job before ciauth verify")
            }
        }
    }
}
