import Foundation

/// An absolute `--ca-file`, `--allowed-signers` or `--policy-file` is a file of the job's image
/// (docs/verify.md). One inside the project directory is a file of the build directory instead,
/// which a reused directory (`GIT_STRATEGY=none`) or an earlier job on the same runner can have
/// replaced: it must not decide whom TLS trusts, whose keys count or what the policy says.
enum VerifyImageFiles {
    static func refuseBuildDirectoryFiles(flags: VerifyRequest.Flags, caFile: String?, directory: URL) throws(VerifyFailure) {
        let named: [(flag: String, path: String?, remedy: String)] = [
            ("--ca-file", caFile, "install the CA certificate in the job's image, outside the project directory, and name that path"),
            ("--allowed-signers", flags.allowedSignersFile, "give the path relative to the repository root: the file is then read as committed"),
            ("--policy-file", flags.policyFile, "give the path relative to the repository root: the file is then read as committed"),
        ]
        for entry in named {
            guard let path = entry.path, path.hasPrefix("/"), isInside(path, directory) else { continue }
            throw .configuration(
                "\(entry.flag) \(path) names a file in the project directory \(directory.path), whose content whoever ran "
                    + "an earlier job there may have chosen; an absolute path must be a file of the job's image",
                remedy: entry.remedy)
        }
    }

    /// Whether `path`, as written or with its symbolic links resolved, lies in `directory`.
    static func isInside(_ path: String, _ directory: URL) -> Bool {
        // A job never runs in `/` (the runner's build directories lie below it); there the
        // image and the directory could not be told apart.
        guard directory.path != "/" else { return false }
        let written = URL(fileURLWithPath: path).standardizedFileURL.path
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
        let root = directory.path + "/"
        return [written, resolved].contains { $0 == directory.path || $0.hasPrefix(root) }
    }
}
