import Foundation
import Testing

/// templates/verify.yml's inputs refused as GitLab refuses them when the pipeline is created,
/// and the one component path that README, docs and the template's header show.
@Suite struct ComponentInterpolationTests {
    static let template = GeneratedFilesTests.packageRoot.appendingPathComponent("templates/verify.yml")
    static var valid: [String: Any] { [
        "release_project": "tools/ciauth", "version": "0.2.0", "sha256": String(repeating: "ab", count: 32),
        "server": "https://gitlab.example.com", "project": "acme/web", "job_name": "deploy",
        "environment": "production", "script": ["./deploy.sh"],
    ] }

    static func refusal(_ change: (inout [String: Any]) -> Void) -> String? {
        var inputs = valid
        change(&inputs)
        do {
            _ = try ComponentTemplate(path: template, inputs: inputs)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func validInputsMakeOneManualJobNamedByJobName() throws {
        let component = try ComponentTemplate(path: Self.template, inputs: Self.valid)
        #expect(Array(component.config.keys) == ["deploy"])
        let job = try #require(component.config["deploy"] as? [String: Any])
        #expect(job["image"] as? String == "debian:bookworm-slim")
        #expect((job["rules"] as? [[String: Any]])?.first?["when"] as? String == "manual")
        #expect((job["environment"] as? [String: Any])?["name"] as? String == "production")
        let script = try component.shellScript(job: "deploy")
        #expect(script.contains("--job-name 'deploy'"))
        #expect(script.contains("'\(String(repeating: "ab", count: 32))'"))
        #expect(script.hasSuffix("\n./deploy.sh"), "the user's script comes last")
        #expect(!script.contains("$[["), "every block is interpolated")
    }

    @Test func gitLabsRefusals() {
        #expect(Self.refusal { $0["sha256"] = nil } == "`sha256` input: required value has not been provided")
        #expect(Self.refusal { $0["sha256"] = "abc" } == "`sha256` input: provided value does not match required RegEx pattern")
        #expect(Self.refusal { $0["bogus"] = "x" } == "unknown input arguments: bogus")
        #expect(Self.refusal { $0["script"] = "./deploy.sh" } == "`script` input: provided value is not an array")
        #expect(Self.refusal { $0["server"] = "https://$(id).example.com" } == "`server` input: provided value does not match required RegEx pattern")
        #expect(Self.refusal { $0["project"] = "acme/web' ; true '" } == "`project` input: provided value does not match required RegEx pattern")
        #expect(Self.refusal { $0["extra_flags"] = "--max-age 1h; curl evil" } == "`extra_flags` input: provided value does not match required RegEx pattern")
    }

    @Test func shellEscapeIsRubys() {
        #expect(ComponentTemplate.shellEscape("") == "''")
        #expect(ComponentTemplate.shellEscape("a b'c") == #"a\ b\'c"#)
        #expect(ComponentTemplate.shellEscape("x\ny") == "x'\n'y")
    }

    /// README, docs and the templates' headers include the components by one path, at the
    /// version in VERSION.
    @Test func oneComponentPath() throws {
        let root = GeneratedFilesTests.packageRoot
        let version = try String(contentsOf: root.appendingPathComponent("VERSION"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let docs = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("docs").path)
            .filter { $0.hasSuffix(".md") }.map { "docs/" + $0 }
        var seen: Set<String> = []
        for file in ["README.md", "templates/verify.yml", "templates/gate.yml"] + docs {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") {
                guard let range = line.range(of: "- component: ") else { continue }
                let path = line[range.upperBound...].trimmingCharacters(in: .whitespaces)
                let name = path.hasSuffix("@\(version)") ? path.split(separator: "/").last?.split(separator: "@").first.map(String.init) : nil
                #expect(path == "$CI_SERVER_FQDN/tools/ciauth/\(name ?? "?")@\(version)" && ["verify", "gate"].contains(name ?? ""), "\(file): \(path)")
                seen.insert(file)
            }
        }
        #expect(seen.isSuperset(of: ["README.md", "templates/verify.yml", "templates/gate.yml", "docs/verify.md", "docs/gate.md"]), "\(seen)")
    }

    /// The repository's pipeline publishes where the component downloads from, under the names
    /// `make dist` gives the files.
    @Test func publishedWhereTheComponentDownloads() throws {
        let root = GeneratedFilesTests.packageRoot
        let pipeline = try String(contentsOf: root.appendingPathComponent(".gitlab-ci.yml"), encoding: .utf8)
        let component = try String(contentsOf: Self.template, encoding: .utf8)
        let dist = try String(contentsOf: root.appendingPathComponent("scripts/dist.sh"), encoding: .utf8)
        #expect(pipeline.contains(#"$CI_API_V4_URL/projects/$CI_PROJECT_ID/packages/generic/ciauth/$CI_COMMIT_TAG/$(basename "$file")"#))
        #expect(component.contains(#"/packages/generic/ciauth/$[[ inputs.version ]]/$ciauth_file""#))
        #expect(component.contains(#"ciauth_file="ciauth-$[[ inputs.version ]]-linux-$(uname -m).tar.gz""#))
        #expect(dist.contains(#"name="ciauth-$version-linux-$machine""#) && dist.contains("machine=$(uname -m)"))
    }
}
