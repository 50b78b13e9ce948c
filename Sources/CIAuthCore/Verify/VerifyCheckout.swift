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

    /// Where git may be: fixed system paths only, so a job variable (`PATH`) cannot substitute it.
    static let gitPaths = ["/usr/bin/git", "/usr/local/bin/git", "/bin/git"]
    static let gitTimeout = Duration.seconds(30)

    /// git's whole environment: no `GIT_*` variable of the job's, no user or system configuration,
    /// and no replacement objects (`refs/replace` could show other content under a commit's id).
    static let gitEnvironment = [
        "PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "GIT_CONFIG_NOSYSTEM": "1", "GIT_NO_REPLACE_OBJECTS": "1", "LC_ALL": "C",
    ]

    /// A reader of committed files in `directory`, when git is installed.
    static func committedFiles(in directory: URL) -> CommittedFile? {
        gitPaths.first(where: { FileManager.default.isExecutableFile(atPath: $0) })
            .map { CommittedFile(git: $0, directory: directory, timeout: gitTimeout) }
    }

    /// `git rev-parse HEAD` in `directory`, or why there is none. Git runs from a fixed system path
    /// with no `GIT_*` variables, so a job variable cannot redirect it.
    static func head(in directory: URL) throws(VerifyFailure) -> CheckoutState {
        try head(in: directory, gitPaths: gitPaths, timeout: gitTimeout)
    }

    /// The seam for tests: the same steps with other git candidates and deadline.
    static func head(in directory: URL, gitPaths: [String], timeout: Duration) throws(VerifyFailure) -> CheckoutState {
        guard let git = gitPaths.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return .gitUnavailable(.notFound(searched: gitPaths))
        }
        let inside = run(git, ["rev-parse", "--is-inside-work-tree"], in: directory, timeout: timeout)
        if let problem = GitProblem(inside, git: git, timeout: timeout) { return .gitUnavailable(problem) }
        guard case .success(let answer) = inside, answer.output == "true" else { return .notWorkTree }
        let head = run(git, ["rev-parse", "--verify", "HEAD"], in: directory, timeout: timeout)
        if let problem = GitProblem(head, git: git, timeout: timeout) { return .gitUnavailable(problem) }
        guard case .success(let commit) = head, commit.status == 0 else {
            throw VerifyFailure(
                "checkout-unreadable", .tampering, "the work tree in \(directory.path) has no readable HEAD commit",
                remedy: "check out the pipeline's commit before ciauth verify")
        }
        return .commit(commit.output)
    }

    /// Why the pipeline's commit cannot be compared with the directory, when the job did not say
    /// `--no-checkout`. One reason for every case (the check fails closed); the text says which.
    static func missingCheckout(_ state: CheckoutState, directory: URL) -> VerifyFailure? {
        let explanation: String
        let remedy: String
        switch state {
        case .commit:
            return nil
        case .notWorkTree:
            explanation = "\(directory.path) is not a git work tree: neither the commit nor the repository's policy file can be checked"
            remedy = "let the runner check out the repository (do not set GIT_STRATEGY=none), or pass --no-checkout in the pipeline definition and give the policy as flags"
        case .gitUnavailable(let problem):
            explanation = "\(problem), so the checkout in \(directory.path) cannot be compared with the pipeline's commit"
            remedy = problem.remedy
        }
        return VerifyFailure("checkout-missing", .tampering, explanation, remedy: remedy)
    }

    static func checkHead(_ head: String?, truth: String) throws(VerifyFailure) {
        guard let head, head != truth else { return }
        throw VerifyFailure(
            "checkout-mismatch", .tampering,
            "the checked-out commit is \(head) but GitLab says this pipeline runs \(truth)",
            remedy: "do not change the checkout before ciauth verify; re-run the pipeline")
    }

    private static func run(
        _ executable: String, _ arguments: [String], in directory: URL, timeout: Duration
    ) -> Result<(status: Int32, output: String), GitProblem> {
        // A runner often checks out as another user; the ownership check must not hide the work tree.
        let arguments = ["-c", "safe.directory=*", "-C", directory.path] + arguments
        let result: ChildProcess.Output
        do {
            result = try ChildProcess.run(executable, arguments, environment: gitEnvironment, timeout: timeout)
        } catch {
            return .failure(.cannotStart(git: executable, detail: error.description))
        }
        if let signal = result.exit.signal { return .failure(.signalled(git: executable, signal: signal)) }
        return .success((result.status, result.text))
    }
}

/// What verify found in the project directory.
enum CheckoutState: Equatable {
    /// A work tree whose `HEAD` is this commit.
    case commit(String)
    /// git answered: the directory is not a work tree.
    case notWorkTree
    /// git could not be asked, so the directory is of unknown state.
    case gitUnavailable(GitProblem)

    var commit: String? {
        if case .commit(let sha) = self { return sha }
        return nil
    }

    /// For the checks list of a job run with `--no-checkout`.
    var uncheckedSummary: String {
        switch self {
        case .commit(let sha): "HEAD is \(sha)"
        case .notWorkTree: "not a git work tree"
        case .gitUnavailable(let problem): problem.description
        }
    }
}

/// Why git gave no answer.
enum GitProblem: Error, Equatable, CustomStringConvertible {
    case notFound(searched: [String])
    case cannotStart(git: String, detail: String)
    case timedOut(git: String, seconds: Int64)
    case signalled(git: String, signal: Int32)

    /// A run that did not answer; nil for one that did. SIGKILL is what the deadline sends.
    init?(_ run: Result<(status: Int32, output: String), GitProblem>, git: String, timeout: Duration) {
        guard case .failure(let problem) = run else { return nil }
        if case .signalled(_, SIGKILL) = problem {
            self = .timedOut(git: git, seconds: timeout.components.seconds)
        } else {
            self = problem
        }
    }

    var description: String {
        switch self {
        case .notFound(let searched): "git not found at \(searched.joined(separator: ", "))"
        case .cannotStart(let git, let detail): "\(git) could not be started (\(detail))"
        case .timedOut(let git, let seconds): "\(git) did not answer within \(seconds) s"
        case .signalled(let git, let signal): "\(git) was ended by signal \(signal)"
        }
    }

    var remedy: String {
        switch self {
        case .notFound: "install git in the job's image (as /usr/bin/git), or pass --no-checkout in the pipeline definition and give the policy as flags"
        case .cannotStart, .signalled: "check the git installation of the job's image"
        case .timedOut: "check why git hangs in the project directory (a slow or locked file system, a huge repository), then re-run the job"
        }
    }
}
