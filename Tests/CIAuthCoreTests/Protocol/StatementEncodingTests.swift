import CIAuthTestSupport
import Crypto
import Foundation
import Testing

@testable import CIAuthCore

@Suite("Approval statement encoding")
struct StatementEncodingTests {
    @Test("the sample statement encodes to the golden fixture, byte for byte")
    func goldenBytes() throws {
        let golden = try Sample.fixture("statement-v2.txt")
        #expect(try Sample.statement().encoded == golden)
        #expect(Hex.encode(SHA256.hash(data: golden)) == "fc343d150c954e95780e6015ca26f3086dbb48b972b6482b6b091dd871555129")
    }

    @Test("the golden fixture parses to the sample statement and re-encodes identically")
    func goldenParses() throws {
        let golden = try Sample.fixture("statement-v2.txt")
        let parsed = try ApprovalStatement(parsing: golden)
        #expect(parsed.jobs == Sample.jobs)
        #expect(parsed.environments == [.named("production"), .named("production/eu")])
        #expect(parsed.approverID == 42)
        #expect(parsed.reason == "Release 1.2 — hotfix for #231")
        #expect(parsed.nonce == Sample.nonce)
        #expect(parsed.encoded == golden)
    }

    @Test("absent environment and reason are written as (none) and read back as absent")
    func noneMarkers() throws {
        let statement = try Sample.statement(environment: ApprovalStatement.Environment.none, reason: nil)
        let text = Sample.text(statement.encoded)
        #expect(text.contains("\nenvironment: 1200300 (none)\nenvironment: 1200301 (none)\n"))
        #expect(text.hasSuffix("\nreason: (none)\n"))
        let parsed = try ApprovalStatement(parsing: statement.encoded)
        #expect(parsed.environments == [.none])
        #expect(parsed.reason == nil)
    }

    @Test("jobs given in any order are written in ascending id order")
    func jobsSorted() throws {
        let statement = try Sample.statement(jobs: [.init(id: 30, name: "c"), .init(id: 5, name: "a"), .init(id: 12, name: "b")])
        #expect(statement.jobs.map(\.id) == [5, 12, 30])
        #expect(Sample.text(statement.encoded).contains("job: 5 a\njob: 12 b\njob: 30 c\n"))
    }

    @Test("random statements, adversarial values included: parse(encode(s)) == s and distinct statements give distinct bytes")
    func injectivity() throws {
        var generator = SeededGenerator(seed: 0xC1A0_7E57)
        var owners: [[UInt8]: [[UInt32]]] = [:]
        var built = 0
        while built < 2500 {
            guard let statement = RandomStatement.make(using: &generator) else { continue }
            built += 1
            let bytes = statement.encoded
            let parsed = try ApprovalStatement(parsing: bytes)
            #expect(RandomStatement.structure(parsed) == RandomStatement.structure(statement))
            #expect(parsed.encoded == bytes)
            if let owner = owners[bytes] {
                #expect(owner == RandomStatement.structure(statement), "two different statements share bytes")
            }
            owners[bytes] = RandomStatement.structure(statement)
        }
        #expect(owners.count > 2200, "the generator should produce mostly distinct statements")
    }

    @Test("near-identical statements (one field nudged) never share bytes")
    func nearCollisions() throws {
        let base = try Sample.statement()
        let variants: [ApprovalStatement] = [
            try Sample.statement(jobs: [.init(id: 1_200_300, name: "deploy:production job: 1200301 migrate db")]),
            try Sample.statement(jobs: [.init(id: 1_200_300, name: "deploy:production")]),
            try Sample.statement(jobs: [.init(id: 12_003, name: "00 deploy:production"), .init(id: 1_200_301, name: "migrate db")]),
            try Sample.statement(environment: ApprovalStatement.Environment.none),
            try Sample.statement(environment: .named("production")),
            try Sample.statement(approverID: 4),
            try Sample.statement(approverID: 420),
            try Sample.statement(reason: nil),
            try Sample.statement(reason: "none"),
            try Sample.statement(reason: "Release 1.2 — hotfix for #231 reason: (none)"),
            try Sample.statement(projectPath: "acme/platform/web/x"),
            try Sample.statement(server: "https://gitlab.example.com:8443"),
            try Sample.statement(reason: "Release 1.2 — hotfix for #23l"),
            try Sample.statement(reason: "Re\u{301}lease"),
            try Sample.statement(reason: "Rélease"),
        ]
        var seen: Set<[UInt8]> = [base.encoded]
        for variant in variants { #expect(seen.insert(variant.encoded).inserted, "\(variant)") }
    }

    @Test("random byte mutations of a valid statement are rejected unless they yield another canonical statement")
    func mutationsStayCanonical() throws {
        var generator = SeededGenerator(seed: 42)
        let original = try Sample.statement().encoded
        let interesting: [UInt8] = [0x00, 0x09, 0x0A, 0x0D, 0x20, 0x3A, 0x2D, 0x30, 0x31, 0x7F, 0xC3, 0xFF, 0x61, 0x5A]
        var accepted = 0
        for _ in 0..<3000 {
            var bytes = original
            let position = Int.random(in: 0..<bytes.count, using: &generator)
            switch Int.random(in: 0..<3, using: &generator) {
            case 0: bytes[position] = interesting.randomElement(using: &generator)!
            case 1: bytes.remove(at: position)
            default: bytes.insert(interesting.randomElement(using: &generator)!, at: position)
            }
            guard let parsed = try? ApprovalStatement(parsing: bytes) else { continue }
            accepted += 1
            #expect(parsed.encoded == bytes, "accepted a non-canonical encoding")
        }
        #expect(accepted < 3000)
    }
}

/// Random statements mixing ordinary values with values built to confuse a parser.
enum RandomStatement {
    static let servers = [
        "https://gitlab.example.com", "https://gitlab.example.com:8443", "http://127.0.0.1:8080",
        "https://example.com/gitlab", "https://[::1]:3000", "https://a.b", "https://gitlab.example.com/x:y",
    ]
    static let jobNames = [
        "a", "a b", "job: 1 x", "reason: x", "x: y", "1 2", "(none)", "deploy:prod", "rspec 1/3", "~!@#$%^&*()",
        "ciauth-approval-v1", "ciauth-approval-v2", "-----BEGIN SSH SIGNATURE-----",
    ]
    static let refs = ["main", "feature/x", "refs/merge-requests/1/head", "v1.2.3", "a-b", "x@y", "!#$%&'()+,;<=>]_`{|}"]
    static let environments = ["production", "review/app", "a b", "${x}", "env.1", "none", "None"]
    static let reasons = [
        "none", "(None)", "(none)x", "job: 1 x", "ref: main", "a\u{301}", "é", "\u{301}a", " \u{301}a", "a \u{301}", "—", "reason: (none)", "日本語の理由",
        "🚀 ship it", "\u{200B}", "\u{202E}evil", "x\u{85}y", "a\u{2028}b",
    ]
    static let approvers = ["alice", "bob", "a.b", "_x", "A-1", "alice_"]

    static func make(using generator: inout SeededGenerator) -> ApprovalStatement? {
        let issued = Int64.random(in: 0...4_000_000_000, using: &generator)
        let jobCount = Int.random(in: 1...4, using: &generator)
        let jobs = (0..<jobCount).map { _ in
            ApprovalStatement.Job(
                id: number(using: &generator), name: pick(jobNames, orRandom: 0x20...0x7E, using: &generator),
                environment: Bool.random(using: &generator)
                    ? .none : .named(pick(environments, orRandom: 0x20...0x7E, using: &generator)))
        }
        let reasonPick = Int.random(in: 0..<3, using: &generator)
        return try? ApprovalStatement(
            server: servers.randomElement(using: &generator)!,
            projectID: number(using: &generator),
            projectPath: pick(["a/b", "a/b/c", "g.1/p-2_x"], orRandom: 0x2D...0x7A, using: &generator),
            pipelineID: number(using: &generator),
            jobs: jobs,
            ref: pick(refs, orRandom: 0x21...0x7E, using: &generator),
            commitSHA: Hex.encode((0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) }),
            approver: approvers.randomElement(using: &generator)!,
            approverID: number(using: &generator),
            issuedAt: ApprovalTimestamp(secondsSinceEpoch: issued)!,
            expiresAt: ApprovalTimestamp(secondsSinceEpoch: issued + Int64.random(in: 1...604_800, using: &generator))!,
            nonce: (0..<16).map { _ in UInt8.random(in: 0...3, using: &generator) },
            reason: reasonPick == 0 ? nil : reasonPick == 1
                ? reasons.randomElement(using: &generator)! : randomText(0x20...0x36F, using: &generator))
    }

    /// Small ids collide often, which exercises the job-list structure; some are huge.
    static func number(using generator: inout SeededGenerator) -> Int {
        Bool.random(using: &generator) ? Int.random(in: 1...12, using: &generator) : Int.random(in: 1...Int.max, using: &generator)
    }

    static func pick(_ pool: [String], orRandom range: ClosedRange<UInt32>, using generator: inout SeededGenerator) -> String {
        Bool.random(using: &generator) ? pool.randomElement(using: &generator)! : randomText(range, using: &generator)
    }

    static func randomText(_ range: ClosedRange<UInt32>, using generator: inout SeededGenerator) -> String {
        let length = Int.random(in: 1...12, using: &generator)
        var scalars = String.UnicodeScalarView()
        while scalars.count < length {
            if let scalar = Unicode.Scalar(UInt32.random(in: range, using: &generator)) { scalars.append(scalar) }
        }
        return String(scalars)
    }

    /// The statement's content as scalar values, field by field (no Unicode equivalence, no bytes).
    static func structure(_ statement: ApprovalStatement) -> [[UInt32]] {
        let scalars = { (text: String) in text.unicodeScalars.map(\.value) }
        var parts: [[UInt32]] = [
            scalars(statement.server), [UInt32(truncatingIfNeeded: statement.projectID), UInt32(truncatingIfNeeded: statement.projectID >> 32)],
            scalars(statement.projectPath), [UInt32(truncatingIfNeeded: statement.pipelineID), UInt32(truncatingIfNeeded: statement.pipelineID >> 32)],
        ]
        for job in statement.jobs {
            parts.append([UInt32(truncatingIfNeeded: job.id), UInt32(truncatingIfNeeded: job.id >> 32)])
            parts.append(scalars(job.name))
            switch job.environment {
            case .none: parts.append([0])
            case .named(let name): parts.append([1] + scalars(name))
            }
        }
        parts.append([UInt32(statement.jobs.count)])
        parts += [scalars(statement.ref), scalars(statement.commitSHA)]
        parts += [
            scalars(statement.approver), [UInt32(truncatingIfNeeded: statement.approverID), UInt32(truncatingIfNeeded: statement.approverID >> 32)], [UInt32(truncatingIfNeeded: statement.issuedAt.secondsSinceEpoch)],
            [UInt32(truncatingIfNeeded: statement.expiresAt.secondsSinceEpoch)], statement.nonce.map(UInt32.init),
            statement.reason.map { [1] + scalars($0) } ?? [0],
        ]
        return parts
    }
}

@Suite("Issuing a statement")
struct StatementIssuingTests {
    @Test("issue() normalises the server, truncates the time, sets the validity and draws a fresh nonce")
    func issue() throws {
        let now = Date(timeIntervalSince1970: 1_764_363_600.75)
        let make = {
            try ApprovalStatement.issue(
                server: "https://GitLab.example.com/", projectID: 1, projectPath: "a/b", pipelineID: 2,
                jobs: [.init(id: 3, name: "deploy")], ref: "main", commitSHA: Sample.commit,
                approver: "alice", approverID: 42, now: now)
        }
        let first = try make()
        let second = try make()
        #expect(first.server == "https://gitlab.example.com")
        #expect(first.issuedAt.rfc3339 == "2025-11-28T21:00:00Z")
        #expect(first.expiresAt.rfc3339 == "2025-11-28T22:00:00Z")
        #expect(first.nonce.count == 16)
        #expect(first.nonce != second.nonce)
        expectRejection(.invalidValidityPeriod) {
            _ = try ApprovalStatement.issue(
                server: "https://gitlab.example.com", projectID: 1, projectPath: "a/b", pipelineID: 2,
                jobs: [.init(id: 3, name: "deploy")], ref: "main", commitSHA: Sample.commit,
                approver: "alice", approverID: 42, now: now, validitySeconds: .max)
        }
    }
}
