import ChildProcess
import Foundation

/// The working tree the job runs in: where `.ciauth.yml` is read, and whose checked-out commit
/// must be the one GitLab says the pipeline runs for.
enum VerifyCheckout {
    /// The current directory. `CI_PROJECT_DIR` is a variable a player can override, so it is only
    /// checked against the directory, never followed: a different value is tampering.
    static func projectDirectory(current: URL, environment: [String: String]) throws(VerifyFailure) -> URL {
        let here = current.resolvingSymlinksInPath().standardizedFileURL
        if let claimed = environment["CI_PROJECT_DIR"], !claimed.isEmpty {
            let there = URL(fileURLWithPath: claimed).resolvingSymlinksInPath().standardizedFileURL
            guard there.path == here.path else {
                throw VerifyFailure(
                    "environment-tampered", .tampering,
                    "CI_PROJECT_DIR is \(ApprovalStatement.quoted(claimed)) but ciauth verify runs in \(here.path)",
                    remedy: "run ciauth verify from the project directory and do not override CI_PROJECT_DIR")
            }
        }
        return here
    }

    /// `git rev-parse HEAD` in `directory`, or nil when it is not a git work tree. Git runs from
    /// a fixed system path with no `GIT_*` variables, so a job variable cannot redirect it.
    static func head(in directory: URL) throws(VerifyFailure) -> String? {
        guard let git = ["/usr/bin/git", "/usr/local/bin/git", "/bin/git"].first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else { return nil }
        guard run(git, ["rev-parse", "--is-inside-work-tree"], in: directory)?.output == "true" else { return nil }
        guard let head = run(git, ["rev-parse", "--verify", "HEAD"], in: directory), head.status == 0 else {
            throw VerifyFailure(
                "checkout-unreadable", .tampering, "the work tree in \(directory.path) has no readable HEAD commit",
                remedy: "check out the pipeline's commit before ciauth verify")
        }
        return head.output
    }

    static func checkHead(_ head: String?, truth: String) throws(VerifyFailure) {
        guard let head, head != truth else { return }
        throw VerifyFailure(
            "checkout-mismatch", .tampering,
            "the checked-out commit is \(head) but GitLab says this pipeline runs \(truth)",
            remedy: "do not change the checkout before ciauth verify; re-run the pipeline")
    }

    private static func run(_ executable: String, _ arguments: [String], in directory: URL) -> (status: Int32, output: String)? {
        // A runner often checks out as another user; the ownership check must not hide the work tree.
        let arguments = ["-c", "safe.directory=*", "-C", directory.path] + arguments
        let environment = ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C"]
        guard let result = try? ChildProcess.run(executable, arguments, environment: environment, timeout: .seconds(30))
        else { return nil }
        return (result.status, result.text)
    }
}
