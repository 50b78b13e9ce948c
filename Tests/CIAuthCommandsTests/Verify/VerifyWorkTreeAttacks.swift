import CIAuthTestSupport
import ChildProcess
import Foundation
import GitLabSim

/// Attacks on what verify reads besides GitLab: the pins it requires, and the policy file and
/// git objects of a reused build directory (`GIT_STRATEGY=none`, `GIT_CLEAN_FLAGS=none`).
extension VerifyAttack {
    static let configuration: Int32 = 78

    static let pins: [VerifyAttack] = [
        VerifyAttack("pin: no project pinned (a fork's job token could stand in)", configuration, ["pin-missing", "no project is pinned", "--project acme/web"]) { world in
            let pipeline = try await world.pipeline(pinProject: false)
            let approval = try await world.alice.approve(try world.statement(for: pipeline))
            return try await world.play(pipeline.job.id, approval: approval)
        },
        VerifyAttack("pin: neither job name nor environment pinned", configuration, ["pin-missing", "--job-name deploy"]) { world in
            let pipeline = try await world.pipeline(environment: nil, pinJobName: false)
            let approval = try await world.alice.approve(try world.statement(for: pipeline, environment: .none))
            return try await world.play(pipeline.job.id, approval: approval)
        },
        VerifyAttack("pin: the committed .ciauth.yml names another project than the job's", configuration, ["configuration-invalid", "names the project \"acme/other\""]) { world in
            let repo = try VerifyGitRepository.make(in: world.directory, policy: "project: acme/other\n")
            return try await approvedInCheckout(world, repo)
        },
    ]

    static let workTrees: [VerifyAttack] = [
        VerifyAttack("work tree: an uncommitted edit of .ciauth.yml is not obeyed", VerifyExit.tampering, ["policy-file-modified"]) { world in
            let repo = try VerifyGitRepository.make(in: world.directory, policy: "approvers: [bob]\n")
            try Data("approvers: [alice]\n".utf8).write(to: repo.url.appendingPathComponent(".ciauth.yml"))
            return try await approvedInCheckout(world, repo)
        },
        VerifyAttack("work tree: an untracked .ciauth.yml beside a policy given by flags", VerifyExit.tampering, ["policy-file-untracked"]) { world in
            let repo = try VerifyGitRepository.make(in: world.directory)
            try Data("approvers: [alice]\n".utf8).write(to: repo.url.appendingPathComponent(".ciauth.yml"))
            return try await approvedInCheckout(world, repo, flags: ["--approver", "bob"])
        },
        VerifyAttack("policy: a committed group rule cannot widen the flags' approver list", VerifyExit.policy, ["approver-not-allowed"]) { world in
            let repo = try VerifyGitRepository.make(
                in: world.directory, policy: "approver_groups:\n  - group: release\n    min_access: maintainer\nread_token_variable: READ_TOKEN\n")
            return try await approvedInCheckout(world, repo, flags: ["--approver", "bob"], variables: ["READ_TOKEN": "reader-token"])
        },
        VerifyAttack("policy: the committed blob rewritten on disk", VerifyExit.tampering, ["policy-object-tampered"]) { world in
            let repo = try VerifyGitRepository.make(in: world.directory, policy: "approvers: [bob]\n")
            try repo.rewriteObject(of: ".ciauth.yml", with: "approvers: [alice]\n")
            try Data("approvers: [alice]\n".utf8).write(to: repo.url.appendingPathComponent(".ciauth.yml"))
            return try await approvedInCheckout(world, repo)
        },
        VerifyAttack("work tree: an edited copy of a committed allowed_signers file is not obeyed", VerifyExit.tampering, ["allowed-signers-modified"]) { world in
            let repo = try VerifyGitRepository.make(
                in: world.directory, files: ["ci/allowed_signers": "bob \(try world.dave.publicKey.authorizedKeysLine())\n"])
            try Data("alice \(try world.alice.publicKey.authorizedKeysLine())\n".utf8)
                .write(to: repo.url.appendingPathComponent("ci/allowed_signers"))
            return try await approvedInCheckout(world, repo, flags: ["--allowed-signers", "ci/allowed_signers"])
        },
        VerifyAttack("work tree: an untracked allowed_signers file beside the checkout is not obeyed", VerifyExit.tampering, ["allowed-signers-untracked"]) { world in
            let repo = try VerifyGitRepository.make(in: world.directory)
            try Data("alice \(try world.alice.publicKey.authorizedKeysLine())\n".utf8)
                .write(to: repo.url.appendingPathComponent("allowed_signers"))
            return try await approvedInCheckout(world, repo, flags: ["--allowed-signers", "allowed_signers"])
        },
        VerifyAttack("work tree: an absolute allowed_signers path inside the project directory is refused", configuration, ["configuration-invalid", "--allowed-signers", "project directory"]) { world in
            let repo = try VerifyGitRepository.make(in: world.directory)
            let file = repo.url.appendingPathComponent("allowed_signers")
            try Data("alice \(try world.alice.publicKey.authorizedKeysLine())\n".utf8).write(to: file)
            return try await approvedInCheckout(world, repo, flags: ["--allowed-signers", file.path])
        },
        VerifyAttack("work tree: an absolute --policy-file inside the project directory is refused", configuration, ["configuration-invalid", "--policy-file", "project directory"]) { world in
            let repo = try VerifyGitRepository.make(in: world.directory)
            let file = repo.url.appendingPathComponent("policy.yml")
            try Data("approvers: [alice]\n".utf8).write(to: file)
            return try await approvedInCheckout(world, repo, flags: ["--policy-file", file.path])
        },
        VerifyAttack("no checkout: a relative allowed_signers file (whatever the directory holds) is refused", configuration, ["configuration-invalid", "--no-checkout", "--allowed-signers"]) { world in
            let line = "alice \(try world.alice.publicKey.authorizedKeysLine())"
            let pipeline = try await world.pipeline(
                flags: ["--allowed-signers", "allowed_signers"],
                scriptWrapper: { "printf '%s\\n' \(VerifyWorld.shellQuoted(line)) > allowed_signers && \($0)" })
            let approval = try await world.alice.approve(try world.statement(for: pipeline))
            return try await world.play(pipeline.job.id, approval: approval)
        },
    ]

    /// A pipeline at `repo`'s commit, running in it, approved by alice and played with `variables`.
    static func approvedInCheckout(
        _ world: VerifyWorld, _ repo: VerifyGitRepository, flags: [String] = [], variables: [String: String] = [:]
    ) async throws -> SimJobState {
        let pipeline = try await world.pipeline(flags: flags, sha: repo.head, workingDirectory: repo.url.path)
        let approval = try await world.alice.approve(try world.statement(for: pipeline))
        return try await world.play(pipeline.job.id, approval: approval, variables: variables)
    }
}

extension VerifyGitRepository {
    /// Replaces the loose object of `path`'s blob with one holding `content`, as someone with
    /// write access to a reused build directory could: git itself does not notice on reading.
    func rewriteObject(of path: String, with content: String) throws {
        let id = try Self.git(["rev-parse", "HEAD:" + path], in: url)
        let scratch = url.deletingLastPathComponent().appendingPathComponent("scratch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        _ = try Self.git(["init", "-q"], in: scratch)
        try Data(content.utf8).write(to: scratch.appendingPathComponent("x"))
        let other = try Self.git(["hash-object", "-w", "x"], in: scratch)
        let source = scratch.appendingPathComponent(".git/objects/\(other.prefix(2))/\(other.dropFirst(2))")
        let target = url.appendingPathComponent(".git/objects/\(id.prefix(2))/\(id.dropFirst(2))")
        try FileManager.default.removeItem(at: target)
        try FileManager.default.copyItem(at: source, to: target)
    }
}

/// Attacks through GitLab accounts: a username freed by a rename and taken by someone else.
extension VerifyAttack {
    static let accounts: [VerifyAttack] = [
        VerifyAttack("account: a reused username is not the person the policy pins by id", VerifyExit.policy, ["approver-not-allowed", "(user "]) { world in
            let reuse = try await UsernameReuse.stage(world)
            let pipeline = try await world.pipeline(flags: ["--approver", "\(reuse.name)#\(reuse.oldID)", "--no-approver-must-be-player"])
            let approval = try await reuse.newKey.approve(try world.statement(for: pipeline) { fields in
                fields.approver = reuse.name
                fields.approverID = reuse.newID
            })
            return try await world.play(pipeline.job.id, token: "bob-token", approval: approval)
        },
        VerifyAttack("account: an approval claiming the id of the name's former owner", VerifyExit.unknownKey, ["approver-id-mismatch", "changed hands"]) { world in
            let reuse = try await UsernameReuse.stage(world)
            let pipeline = try await world.pipeline(flags: ["--no-approver-must-be-player"])
            let approval = try await reuse.newKey.approve(try world.statement(for: pipeline) { fields in
                fields.approver = reuse.name
                fields.approverID = reuse.oldID
            })
            return try await world.play(pipeline.job.id, token: "bob-token", approval: approval)
        },
    ]
}

/// A user renamed away from `name`, and a new user who then took `name` and registered a key.
struct UsernameReuse {
    let name: String
    let oldID: Int
    let newID: Int
    let newKey: SoftwareAuthenticator

    static func stage(_ world: VerifyWorld) async throws -> UsernameReuse {
        let name = "nora\(await world.freshID())"
        let (oldID, newID) = (await world.freshID(), await world.freshID())
        let (oldKey, newKey) = (SoftwareAuthenticator.p256(), SoftwareAuthenticator.p256())
        let old = "2025-01-01T08:00:00Z"
        try world.sim.addUser(.init(id: oldID, username: name, name: "Nora", keys: [
            .init(id: await world.freshID(), title: "nora", key: try oldKey.publicKeyLine, usageType: "signing", createdAt: old),
        ]))
        try world.sim.renameUser(name, to: name + "-old")
        try world.sim.addUser(.init(id: newID, username: name, name: "Not Nora", keys: [
            .init(id: await world.freshID(), title: "mine", key: try newKey.publicKeyLine, usageType: "signing", createdAt: old),
        ]))
        return UsernameReuse(name: name, oldID: oldID, newID: newID, newKey: newKey)
    }
}
