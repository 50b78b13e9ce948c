import ChildProcess
import Crypto
import Foundation

/// Reads one file as a commit holds it, from git's object store, hashing every object itself on
/// the way (commit → trees → blob). The work tree, the index and whatever a reused build directory
/// left beside the checkout are never consulted, and an object edited or replaced on disk
/// (`refs/replace`, alternates, a rewritten loose object) cannot pass for the commit's content.
struct CommittedFile {
    let git: String
    let directory: URL
    let timeout: Duration

    /// The file's bytes at `path` (slash-separated, relative to the repository root) in `commit`;
    /// nil when the commit has no entry there.
    func read(_ path: String, commit: String, limit: Int) throws(VerifyFailure) -> [UInt8]? {
        let format = try ObjectFormat(id: commit)
        let body = try object(commit, type: "commit", format: format)
        var tree = try Self.rootTree(of: body, format: format)
        let components = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !components.isEmpty, components.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else {
            throw Self.failure("the path \(ApprovalStatement.quoted(path)) is not a path inside the repository")
        }
        for (index, name) in components.enumerated() {
            let entries = try Self.entries(of: try object(tree, type: "tree", format: format), format: format)
            guard let entry = entries.first(where: { $0.name == Array(name.utf8) }) else { return nil }
            let last = index == components.count - 1
            switch (last, entry.mode) {
            case (false, "40000"): tree = entry.id
            case (true, "100644"), (true, "100755"):
                let blob = try object(entry.id, type: "blob", format: format)
                guard blob.count <= limit else { throw Self.failure("\(path) in commit \(commit) is larger than \(limit) bytes") }
                return blob
            case (false, _): return nil
            case (true, _): throw Self.failure("\(path) in commit \(commit) is not a regular file (mode \(entry.mode))")
            }
        }
        return nil
    }

    /// SHA-1 repositories name objects with 40 hex digits, SHA-256 ones with 64.
    enum ObjectFormat {
        case sha1, sha256

        init(id: String) throws(VerifyFailure) {
            guard id.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
                throw CommittedFile.failure("\(ApprovalStatement.quoted(id)) is not a git object id")
            }
            switch id.utf8.count {
            case 40: self = .sha1
            case 64: self = .sha256
            default: throw CommittedFile.failure("\(ApprovalStatement.quoted(id)) is not a git object id")
            }
        }

        var rawLength: Int { self == .sha1 ? 20 : 32 }

        func hash(_ bytes: [UInt8]) -> String {
            switch self {
            case .sha1: Hex.encode(Array(Insecure.SHA1.hash(data: bytes)))
            case .sha256: Hex.encode(Array(SHA256.hash(data: bytes)))
            }
        }
    }

    /// `git cat-file TYPE ID`, accepted only when `TYPE SIZE\0BODY` hashes to `ID`.
    private func object(_ id: String, type: String, format: ObjectFormat) throws(VerifyFailure) -> [UInt8] {
        let output: ChildProcess.Output
        do {
            output = try ChildProcess.run(
                git, ["-c", "safe.directory=*", "-C", directory.path, "cat-file", type, id],
                environment: VerifyCheckout.gitEnvironment, timeout: timeout)
        } catch {
            throw Self.failure("\(git) could not be started to read \(type) \(id) (\(error.description))")
        }
        guard output.exit.succeeded else {
            throw Self.failure("the repository has no readable \(type) \(id)")
        }
        let body = [UInt8](output.stdout)
        let header = Array("\(type) \(body.count)".utf8) + [0]
        guard format.hash(header + body) == id else {
            throw VerifyFailure(
                "policy-object-tampered", .tampering,
                "git's \(type) object \(id) in \(directory.path) does not hash to its id: the repository was altered on disk",
                remedy: "do not reuse this build directory (let the runner clone afresh), then re-run the job")
        }
        return body
    }

    /// A commit's first line is `tree ID`.
    private static func rootTree(of commit: [UInt8], format: ObjectFormat) throws(VerifyFailure) -> String {
        let prefix = Array("tree ".utf8)
        let length = prefix.count + format.rawLength * 2
        guard commit.count > length, commit.starts(with: prefix), commit[length] == 0x0A else {
            throw failure("the commit object does not start with its tree")
        }
        let id = String(decoding: commit[prefix.count..<length], as: UTF8.self)
        _ = try ObjectFormat(id: id)
        return id
    }

    struct Entry {
        let mode: String
        let name: [UInt8]
        let id: String
    }

    /// A tree is a run of `MODE SP NAME NUL RAW-ID` entries.
    static func entries(of tree: [UInt8], format: ObjectFormat) throws(VerifyFailure) -> [Entry] {
        var entries: [Entry] = []
        var index = tree.startIndex
        while index < tree.endIndex {
            guard let space = tree[index...].firstIndex(of: 0x20), space > index,
                let nul = tree[space...].firstIndex(of: 0x00), nul > space + 1
            else { throw failure("a tree object is malformed") }
            let idEnd = nul + 1 + format.rawLength
            guard idEnd <= tree.endIndex else { throw failure("a tree object is truncated") }
            entries.append(Entry(
                mode: String(decoding: tree[index..<space], as: UTF8.self), name: Array(tree[(space + 1)..<nul]),
                id: Hex.encode(Array(tree[(nul + 1)..<idEnd]))))
            index = idEnd
        }
        return entries
    }

    static func failure(_ explanation: String) -> VerifyFailure {
        VerifyFailure(
            "policy-unreadable", .tampering, explanation,
            remedy: "let the runner check out the pipeline's commit (a full or shallow clone or fetch), then re-run the job")
    }
}
