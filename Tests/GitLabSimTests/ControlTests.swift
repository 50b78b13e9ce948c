import Foundation
import GitLabSim
import Testing

/// The `/-/sim/` control endpoints.
@Suite struct ControlTests {
    @Test func waitReadAndChangeStateOverHTTP() async throws {
        try await withSimulator { simulator, http in
            #expect(try await http.post("/api/v4/projects/100/jobs/9001/play", token: "bob-token").status == 200)
            let waited = try await http.post("/-/sim/jobs/9001/wait?timeout=10")
            #expect(waited.status == 200)
            #expect(waited.json?["status"]?.stringValue == "success")
            #expect(waited.json?["log"]?.stringValue?.contains("as bob") == true)
            #expect(try await http.get("/-/sim/jobs/12345").status == 404)
            let notDone = try await http.post("/-/sim/jobs/9002/wait?timeout=0.05")
            #expect(notDone.status == 408)

            let blocked = try await http.put("/-/sim/users/bob/state", json: #"{"state":"blocked"}"#)
            #expect(blocked.status == 200)
            #expect(try await http.get("/api/v4/user", token: "bob-token").status == 403)

            let key = try Fixtures.publicKeys()[8]
            let added = try await http.post("/-/sim/users/bob/keys", json: #"{"title":"old","key":"\#(key)","expires_at":"2001-01-01"}"#)
            #expect(added.status == 201)
            let keys = try await http.get("/-/sim/users/bob/keys")
            #expect(keys.json?.arrayValue?.first?["fingerprint_sha256"]?.stringValue == (try Fixtures.fingerprints()[8]))
            let id = try #require(added.json?["id"]?.intValue)
            #expect(try await http.delete("/-/sim/keys/\(id)").status == 204)
            #expect(try simulator.keys(ofUser: "bob").isEmpty)
        }
    }

    @Test func addPipelinesSettingsAndMembersOverHTTP() async throws {
        try await withSimulator { (simulator: GitLabSimulator, http: TestHTTP) async throws in
            let pipeline = #"{"id":900,"ref":"main","sha":"abababababababababababababababababababab","user":"alice","jobs":[{"id":9900,"name":"ship","stage":"deploy","status":"manual","when":"manual","script":"echo shipped"}]}"#
            #expect(try await http.post("/-/sim/projects/100/pipelines", json: pipeline).status == 201)
            #expect(simulator.job(id: 9900)?.status == "manual")
            #expect(try await http.put("/-/sim/projects/100/settings", json: #"{"ci_pipeline_variables_minimum_override_role":"owner"}"#).status == 200)
            let body = #"{"job_variables_attributes":[{"key":"A","value":"1"}]}"#
            #expect(try await http.post("/api/v4/projects/100/jobs/9900/play", token: "alice-token", json: body).status == 403)
            #expect(try await http.put("/-/sim/projects/100/members", json: #"{"user_id":2,"access_level":50}"#).status == 200)
            #expect(try await http.post("/api/v4/projects/100/jobs/9900/play", token: "alice-token", json: body).status == 200)
            #expect(try await http.put("/-/sim/projects/100/settings", json: #"{"ci_pipeline_variables_minimum_override_role":"everyone"}"#).status == 400)
            #expect(try await http.get("/-/sim/nothing").status == 404)
        }
    }
}
