import Foundation

/// The repository's policy file as `ciauth verify` obeys it: exactly the bytes committed in the
/// commit GitLab names (read from git's objects, hashes checked), never the work tree's copy. A
/// work-tree copy that differs, or one the commit does not have, is reported, not used: a reused
/// build directory (`GIT_STRATEGY=none`, `GIT_CLEAN_FLAGS=none`) can leave either behind.
struct VerifyPolicyFile {
    static let sizeLimit = RepositoryPolicy.sizeLimit

    /// The policy file's name as the command gives it (default `.ciauth.yml`).
    let name: String
    /// The pipeline definition named the file: its absence is an error, not "no policy".
    let isNamed: Bool

    init(flag: String?) {
        let named = flag.flatMap { $0.isEmpty ? nil : $0 }
        name = named ?? RepositoryPolicy.fileName
        isNamed = named != nil
    }

    /// An absolute path is a file of the job's image, chosen by the pipeline definition.
    var isInImage: Bool { name.hasPrefix("/") }

    /// The policy committed in `commit`, after comparing it with the work tree's copy; nil when
    /// the commit has none. `lines` receives what was checked.
    func committed(commit: String, directory: URL, lines: inout [String]) throws(VerifyFailure) -> RepositoryPolicy? {
        let file = VerifyRepositoryFile(path: name, reasonPrefix: "policy-file", sizeLimit: Self.sizeLimit)
        guard let bytes = try file.committed(commit: commit, directory: directory) else {
            if isNamed { throw .configuration("commit \(commit) has no \(name)", remedy: "commit \(name), or fix --policy-file") }
            return nil
        }
        lines.append("policy: \(name) as committed in \(commit) (git objects, hashes checked; the work tree's copy is identical)")
        return try parse(bytes, origin: "\(name) in commit \(commit)")
    }

    /// No checkout to read from (`--no-checkout`): a work-tree file is left over, never obeyed.
    func withoutCheckout(directory: URL, lines: inout [String]) throws(VerifyFailure) -> RepositoryPolicy? {
        guard !isNamed else {
            throw .configuration(
                "--policy-file \(name) names a repository file, but the job runs with --no-checkout",
                remedy: "give the policy as flags, or an absolute --policy-file of the job's image")
        }
        if FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path) {
            lines.append("policy: \(name) in \(directory.path) ignored (no checkout: only flags decide)")
        }
        return nil
    }

    /// An absolute `--policy-file`: part of the job's image, which the pipeline definition chose.
    func fromImage(lines: inout [String]) throws(VerifyFailure) -> RepositoryPolicy {
        guard FileManager.default.fileExists(atPath: name) else {
            throw .configuration("the policy file \(name) does not exist", remedy: "fix --policy-file")
        }
        guard let data = FileManager.default.contents(atPath: name), data.count <= Self.sizeLimit else {
            throw .configuration(RepositoryPolicyError.unreadable(name).description, remedy: "fix --policy-file")
        }
        lines.append("policy: read \(name) from the job's image")
        return try parse([UInt8](data), origin: name)
    }

    private func parse(_ bytes: [UInt8], origin: String) throws(VerifyFailure) -> RepositoryPolicy {
        do throws(RepositoryPolicyError) {
            return try RepositoryPolicy.parse(bytes, origin: origin)
        } catch {
            throw .configuration(error.description, remedy: "fix \(name) in the repository")
        }
    }
}
