@testable import CIAuthCore
import ChildProcess
import Foundation
import Testing

/// How verify tells "no work tree" from "no git to ask", through the seam that takes the git
/// candidates and deadline (the product always uses the fixed system paths and 30 s).
@Suite struct VerifyCheckoutTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("ciauth-checkout-\(UUID().uuidString)")

    /// An executable shell script standing in for git, written by a shell of its own: a file
    /// this process writes is also open in any child another suite is starting at that moment
    /// (between its fork and exec), and executing the script then fails with ETXTBSY.
    func fakeGit(_ body: String) throws -> String {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let path = root.appendingPathComponent("git-\(UUID().uuidString)").path
        let written = try ChildProcess.run(
            "/bin/sh", ["-c", #"cat > "$1" && chmod 755 "$1""#, "sh", path], input: Data("#!/bin/sh\n\(body)\n".utf8),
            timeout: .seconds(30))
        try #require(written.exit.succeeded, "cannot write \(path)")
        return path
    }

    @Test func noGitAtTheFixedPathsIsNamedAsSuch() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let searched = [root.appendingPathComponent("a/git").path, root.appendingPathComponent("b/git").path]
        let state = try VerifyCheckout.head(in: root, gitPaths: searched, timeout: .seconds(5))
        #expect(state == .gitUnavailable(.notFound(searched: searched)))

        let failure = try #require(VerifyCheckout.missingCheckout(.gitUnavailable(.notFound(searched: VerifyCheckout.gitPaths)), directory: root))
        #expect(failure.reason == "checkout-missing")
        #expect(failure.failureClass == .tampering)
        #expect(failure.explanation.hasPrefix("git not found at /usr/bin/git, /usr/local/bin/git, /bin/git"))
        #expect(!failure.explanation.contains("not a git work tree"))
        #expect(failure.remedy.contains("install git"))
    }

    @Test func aHangingGitIsReportedAsTimedOut() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let git = try fakeGit("exec sleep 20")
        let started = ContinuousClock.now
        let state = try VerifyCheckout.head(in: root, gitPaths: [git], timeout: .milliseconds(300))
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(state == .gitUnavailable(.timedOut(git: git, seconds: 0)))

        let failure = try #require(VerifyCheckout.missingCheckout(.gitUnavailable(.timedOut(git: "/usr/bin/git", seconds: 30)), directory: root))
        #expect(failure.reason == "checkout-missing")
        #expect(failure.explanation.hasPrefix("/usr/bin/git did not answer within 30 s"))
        #expect(failure.remedy.contains("hangs"))
    }

    @Test func aGitEndedBySignalIsNotCalledATimeout() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let git = try fakeGit("kill -TERM $$")
        let state = try VerifyCheckout.head(in: root, gitPaths: [git], timeout: .seconds(10))
        #expect(state == .gitUnavailable(.signalled(git: git, signal: SIGTERM)))
        #expect(VerifyCheckout.missingCheckout(state, directory: root)?.explanation.contains("was ended by signal 15") == true)
    }

    @Test func gitThatAnswersNoWorkTreeKeepsTheCheckoutMessage() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let git = try fakeGit("echo false")
        let state = try VerifyCheckout.head(in: root, gitPaths: [git], timeout: .seconds(10))
        #expect(state == .notWorkTree)
        let failure = try #require(VerifyCheckout.missingCheckout(state, directory: root))
        #expect(failure.reason == "checkout-missing")
        #expect(failure.explanation.contains("is not a git work tree"))
        #expect(failure.remedy.contains("GIT_STRATEGY=none"))
    }

    @Test func aWorkTreeGivesItsHead() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        // The arguments verify passes: -c safe.directory=* -C DIR rev-parse ...
        let git = try fakeGit(#"case "$6" in --is-inside-work-tree) echo true ;; --verify) echo 0123abcd ;; esac"#)
        let state = try VerifyCheckout.head(in: root, gitPaths: [git], timeout: .seconds(10))
        #expect(state == .commit("0123abcd"))
        #expect(VerifyCheckout.missingCheckout(state, directory: root) == nil)
    }

    @Test func aWorkTreeWithoutHeadIsUnreadable() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let git = try fakeGit(#"case "$6" in --is-inside-work-tree) echo true ;; *) exit 128 ;; esac"#)
        #expect(throws: VerifyFailure.self) { try VerifyCheckout.head(in: root, gitPaths: [git], timeout: .seconds(10)) }
    }
}
