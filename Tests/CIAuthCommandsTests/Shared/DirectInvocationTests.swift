import ArgumentParser
import CIAuthTestSupport
import Foundation
import Testing

@testable import CIAuthCommands

/// The commands read without the full parser must mean exactly what the full parser makes of
/// the same line, for every option the full parser defines (so an option added there and not to
/// the direct table fails here), and must leave every unusual line to the full parser.
@Suite struct DirectInvocationTests {
    /// Each directly read command, with what it needs around the option under test.
    static let commands: [(path: [String], required: [String], trailing: [String])] = [
        (["check-approval"], ["--allowed-signers", "signers"], []),
        (["verify"], [], []),
        (["gate", "check"], [], []),
        (["gate", "exec"], [], ["--", "deploy", "--force", "-"]),
    ]

    /// Options the full parser answers itself (help, version, completion scripts).
    static let builtIn: Set<String> = ["--help", "-h", "--version", "--experimental-dump-help", "--generate-completion-script"]

    @Test(arguments: commands.map(\.path))
    func everyOptionMeansWhatTheFullParserReads(_ path: [String]) async throws {
        let options = try Self.fullParserOptions(path)
        #expect(options.count > 3)
        let problems = await offPool { Self.disagreements(path, options) }
        #expect(problems.isEmpty, "\(problems)")
    }

    /// Each option alone (both spellings of a value, a repeatable one twice) on the command's
    /// least line: what the direct reader did not take or took differently.
    static func disagreements(_ path: [String], _ options: [FullParserOption]) -> [String] {
        guard let command = commands.first(where: { $0.path == path }) else { return ["unknown command \(path)"] }
        var problems: [String] = []
        for option in options where !builtIn.contains(option.spelling) {
            let required = command.required.first == option.spelling ? [] : command.required
            var lines: [[String]]
            if option.takesValue {
                let value = option.spelling == "--at" ? "2026-11-28T22:30:00+01:00" : "value of \(option.spelling)"
                lines = [[option.spelling, value], ["\(option.spelling)=\(value)"]]
                if option.isRepeating { lines.append([option.spelling, value, option.spelling, "second"]) }
            } else {
                lines = [[option.spelling]]
            }
            for line in lines {
                let words = path + required + line + command.trailing
                guard let direct = DirectInvocation.read(words) else {
                    problems.append("not read directly: \(words)")
                    continue
                }
                if (try? fullParser(words)) != direct { problems.append("read differently: \(words)") }
            }
        }
        return problems
    }

    @Test func aLineWithEveryOptionMeansTheSame() throws {
        let words = [
            "verify", "--server", "https://gitlab.example.com", "--project", "acme/web", "--job-name", "deploy", "--environment", "production",
            "--variable", "APPROVAL", "--policy-file", "ci/policy.yml", "--allowed-signers", "ci/signers", "--approver", "alice#7",
            "--approver-group=ops:maintainer", "--approver", "bob", "--read-token-variable", "READ", "--no-approver-must-be-player",
            "--require-uv", "--max-age", "2h", "--min-key-age=1d", "--no-allow-self-approval", "--audit-file", "audit.json",
            "--dotenv", "ciauth.env", "--ca-file", "/etc/ca.pem", "--proxy", "", "--no-checkout", "--json", "-v",
        ]
        let direct = try #require(DirectInvocation.read(words))
        #expect(direct == (try Self.fullParser(words)))
        guard case .verify(let invocation) = direct else { Issue.record("not verify"); return }
        #expect(invocation.flags.approvers == ["alice#7", "bob"])
        #expect(invocation.flags.approverMustBePlayer == false && invocation.flags.allowSelfApproval == false)
        #expect(invocation.proxy == "")
    }

    @Test func defaultsAreTheFullParsersDefaults() throws {
        for words in [["verify"], ["gate", "check"], ["gate", "exec", "--", "true"], ["check-approval", "--allowed-signers", "s"]] {
            let direct = try #require(DirectInvocation.read(words), "\(words)")
            #expect(direct == (try Self.fullParser(words)), "\(words)")
        }
    }

    @Test func theProtectedCommandIsTakenWordForWord() throws {
        let words = ["gate", "exec", "--policy", "/etc/gate.yml", "--", "deploy", "--policy", "x", "--", "-v"]
        #expect(DirectInvocation.read(words) == .gateExec(GateInvocation(policy: "/etc/gate.yml", command: ["deploy", "--policy", "x", "--", "-v"])))
        #expect(DirectInvocation.read(words) == (try Self.fullParser(words)))
    }

    /// Lines the full parser must read: its help, its errors, and anything this reader does not
    /// take with certainty.
    @Test(arguments: [
        ["verify", "--help"], ["verify", "-h"], ["help", "verify"], ["verify", "--no-such-option"], ["verify", "positional"],
        ["verify", "--server"], ["verify", "--server", "--project", "x"], ["verify", "--server", "-x"], ["verify", "--server=-x"],
        ["verify", "--server", "a", "--server", "b"], ["verify", "--server="], ["verify", "--require-uv", "--no-require-uv"], ["verify", "--json=true"],
        ["verify", "-vv"], ["verify", "-v", "--verbose"], ["verify", "--"], ["verify", "-"],
        ["verify", "--members-token-variable", "A", "--read-token-variable", "B"],
        ["check-approval"], ["check-approval", "--allowed-signers", "s", "--at", "2026-11-28T21:30:00Zx"],
        ["check-approval", "--allowed-signers", "s", "--approval", "-"],
        ["gate"], ["gate", "exec"], ["gate", "exec", "--"], ["gate", "check", "--", "x"], ["gate", "check", "--at", "yesterday"],
        ["approve", "7"], ["verify", "--server", "x", "--version"], ["gate", "--version"], [],
    ])
    func unusualLinesGoToTheFullParser(_ words: [String]) {
        #expect(DirectInvocation.read(words) == nil)
    }

    @Test func versionAloneOrAfterADirectCommand() {
        for words in [["--version"], ["verify", "--version"], ["check-approval", "--version"], ["gate", "exec", "--version"]] {
            #expect(DirectInvocation.read(words) == .version, "\(words)")
        }
    }

    // MARK: - The full parser's side

    static func fullParser(_ words: [String]) throws -> DirectInvocation? {
        switch try CIAuth.parseAsRoot(words) {
        case let command as CheckApprovalCommand: .checkApproval(command.invocation)
        case let command as VerifyCommand: .verify(command.invocation)
        case let command as GateCheckCommand:
            .gateCheck({ var invocation = command.gate.invocation; invocation.json = command.json; return invocation }())
        case let command as GateExecCommand:
            .gateExec({ var invocation = command.gate.invocation; invocation.command = command.command; return invocation }())
        default: nil
        }
    }

    struct FullParserOption {
        let spelling: String
        let takesValue: Bool
        let isRepeating: Bool
    }

    /// Every spelling of every option and flag the full parser defines for the command, from its
    /// own description of itself (`--experimental-dump-help`).
    static func fullParserOptions(_ path: [String]) throws -> [FullParserOption] {
        let dump: String
        do {
            _ = try CIAuth.parseAsRoot(path + ["--experimental-dump-help"])
            throw CancellationError()
        } catch is CancellationError {
            Issue.record("no description of \(path)")
            return []
        } catch {
            dump = CIAuth.fullMessage(for: error)
        }
        let info = try JSONDecoder().decode(ToolDescription.self, from: Data(dump.utf8))
        return (info.command.arguments ?? []).filter { $0.kind != "positional" }.flatMap { argument in
            (argument.names ?? []).map { name in
                FullParserOption(
                    spelling: (name.kind == "short" ? "-" : "--") + name.name, takesValue: argument.kind == "option",
                    isRepeating: argument.isRepeating)
            }
        }
    }

    struct ToolDescription: Decodable {
        struct Command: Decodable { var arguments: [Argument]? }
        struct Argument: Decodable {
            var kind: String
            var names: [Name]?
            var isRepeating: Bool
        }
        struct Name: Decodable {
            var kind: String
            var name: String
        }
        var command: Command
    }
}

/// Random lines from the words these commands take (options of every kind, `=` forms, values
/// that look like options, `--`): whenever the direct reader takes a line, the full parser must
/// take it too and mean the same. Seeded, so a failure names a line that can be replayed.
@Suite struct DirectInvocationDifferentialTests {
    static let words = [
        "--server", "--project", "--job-name", "--environment", "--variable", "--policy-file", "--allowed-signers", "--approver",
        "--approver-group", "--read-token-variable", "--members-token-variable", "--approver-must-be-player",
        "--no-approver-must-be-player", "--require-uv", "--no-require-uv", "--max-age", "--min-key-age", "--allow-self-approval",
        "--no-allow-self-approval", "--audit-file", "--dotenv", "--ca-file", "--proxy", "--no-checkout", "--json", "--verbose", "-v",
        "--policy", "--id-token-file", "--approval-file", "--at", "--approval", "--help", "-h", "--version", "--", "-", "",
        "value", "x=y", "2026-11-28T21:30:00Z", "2026-11-28T21:30:00Zx", "--json=true", "--server=a", "--server=", "--at=2026-11-28T21:30:00Z",
        "-vv", "--no-json", "deploy", "check", "exec", "verify",
    ]

    /// The command, and what every line of it ends with (gate exec's protected command).
    static let lines: [([String], [String])] = [
        (["verify"], []), (["gate", "check"], []), (["gate", "exec"], ["--", "deploy"]), (["check-approval", "--allowed-signers", "s"], []),
    ]

    @Test(arguments: lines)
    func whateverIsReadDirectlyTheFullParserReadsTheSame(_ path: [String], _ ending: [String]) async throws {
        let (taken, disagreements) = await offPool { Self.compare(path, ending: ending, lines: 400) }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(5))")
        #expect(taken >= 10, "too few lines were read directly to compare: \(taken)")
    }

    /// How many random lines the direct reader took, and those the full parser read otherwise.
    static func compare(_ path: [String], ending: [String], lines: Int) -> (taken: Int, disagreements: [[String]]) {
        var generator = SeededGenerator(seed: UInt64(path.joined().utf8.reduce(7) { $0 &* 31 &+ UInt64($1) }))
        var taken = 0
        var disagreements: [[String]] = []
        for _ in 0..<lines {
            let count = Int(generator.next() % 7)
            let line = path + (0..<count).map { _ in words[Int(generator.next() % UInt64(words.count))] } + ending
            guard let direct = DirectInvocation.read(line) else { continue }
            taken += 1
            if direct != .version, (try? DirectInvocationTests.fullParser(line)) != direct { disagreements.append(line) }
        }
        return (taken, disagreements)
    }
}

/// Seconds of parsing run on a thread of their own, not on one of the concurrency pool's (one per
/// core), which the suites waiting for children and servers need meanwhile.
func offPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: body()) }
    }
}
