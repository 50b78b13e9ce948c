// Latency and throughput of the GitLab client against the simulator on loopback, compared with
// a raw-socket HTTP/1.1 round trip over one kept-alive connection (no JSON, no pooling).
//
//     swift build -c release --product gitlab-bench && .build/release/gitlab-bench [iterations]
//
// Prints medians and 90th percentiles in milliseconds.

import Foundation
import GitLab
import GitLabSim

#if canImport(Glibc)
    import Glibc
#endif

let iterations = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 2000
// Each play starts a job process in the simulator's runner; keep their number bounded.
let playJobs = min(200, max(100, iterations / 2))

enum BenchSeed {
    static let sha = "3f9c1a2b4d5e6f708192a3b4c5d6e7f8091a2b3c"

    static func make(members: Int, manualJobs: Int) -> String {
        var users = [#"{"id": 2, "username": "alice", "name": "Alice", "tokens": ["alice-token"]}"#]
        var groupMembers = [#"{"user_id": 2, "access_level": 40}"#]
        for index in 0..<members {
            let id = 1000 + index
            users.append(#"{"id": \#(id), "username": "user\#(id)", "name": "User \#(id)"}"#)
            groupMembers.append(#"{"user_id": \#(id), "access_level": 30}"#)
        }
        let jobs = (0..<manualJobs).map {
            #"{"id": \#(20_000 + $0), "name": "bench\#($0)", "stage": "deploy", "status": "manual", "when": "manual", "script": "true"}"#
        }
        return #"""
            {"users": [\#(users.joined(separator: ","))],
             "groups": [{"id": 10, "path": "acme", "members": [\#(groupMembers.joined(separator: ","))]}],
             "projects": [{"id": 100, "path_with_namespace": "acme/deployer", "default_branch": "main",
               "ci_pipeline_variables_minimum_override_role": "developer",
               "pipelines": [{"id": 500, "iid": 1, "ref": "main", "sha": "\#(sha)", "source": "push", "user": "alice",
                 "jobs": [\#(jobs.joined(separator: ","))]}]}]}
            """#
    }
}

/// One kept-alive TCP connection; requests written by hand; responses read to Content-Length.
final class RawHTTP {
    private let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw GitLabError(.connectionFailed) }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { _ = Glibc.close(fd) }

    /// Sends one request and reads one response; returns its status code.
    func roundTrip(_ request: [UInt8]) throws -> Int {
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw GitLabError(.connectionDropped) }
            sent += n
        }
        while true {
            if let (status, length) = completeResponse() {
                buffer.removeFirst(length)
                return status
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw GitLabError(.connectionDropped) }
            buffer += chunk[0..<n]
        }
    }

    private func completeResponse() -> (Int, Int)? {
        guard buffer.count >= 4,
            let end = (0...(buffer.count - 4)).first(where: {
                buffer[$0] == 13 && buffer[$0 + 1] == 10 && buffer[$0 + 2] == 13 && buffer[$0 + 3] == 10
            })
        else { return nil }
        let lines = String(decoding: buffer[0..<end], as: UTF8.self).split(separator: "\r\n")
        guard let statusLine = lines.first, statusLine.split(separator: " ").count >= 2,
            let status = Int(statusLine.split(separator: " ")[1])
        else { return nil }
        let length = lines.compactMap { line -> Int? in
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
            return Int(parts[1].trimmingCharacters(in: .whitespaces))
        }.first ?? 0
        let total = end + 4 + length
        return buffer.count >= total ? (status, total) : nil
    }
}

func milliseconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) * 1000 + Double(attoseconds) / 1e15
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

func format(_ value: Double) -> String { String(format: "%.3f", value) }

func report(_ name: String, raw: [Double], client: [Double]) {
    let overhead = percentile(client, 0.5) - percentile(raw, 0.5)
    print(
        "\(name): n=\(client.count)  raw median \(format(percentile(raw, 0.5))) ms (p90 \(format(percentile(raw, 0.9))))"
            + "  client median \(format(percentile(client, 0.5))) ms (p90 \(format(percentile(client, 0.9))))"
            + "  overhead \(format(overhead)) ms")
}

func benchGetAndPlay() async throws {
    let seed = try SimSeed.decode(json: Data(BenchSeed.make(members: 0, manualJobs: playJobs * 2).utf8))
    let sim = try await GitLabSimulator.start(seed: seed)
    let client = try GitLabClient(server: try GitLabServer(sim.baseURL), credentials: .accessToken("alice-token"))
    let raw = try RawHTTP(port: sim.port)
    let get = Array("GET /api/v4/user HTTP/1.1\r\nHost: 127.0.0.1\r\nPRIVATE-TOKEN: alice-token\r\nAccept: application/json\r\n\r\n".utf8)
    let clock = ContinuousClock()
    for _ in 0..<200 {  // warm-up: connections, caches
        _ = try raw.roundTrip(get)
        _ = try await client.currentUser()
    }
    var rawGet: [Double] = []
    var clientGet: [Double] = []
    for _ in 0..<iterations {
        rawGet.append(milliseconds(try clock.measure { _ = try raw.roundTrip(get) }))
        clientGet.append(milliseconds(try await clock.measure { _ = try await client.currentUser() }))
    }
    var rawPlay: [Double] = []
    var clientPlay: [Double] = []
    let body = #"{"job_variables_attributes":[{"key":"CIAUTH_APPROVAL","value":"x"}]}"#
    let variables = [PlayVariable(key: "CIAUTH_APPROVAL", value: "x")]
    for index in 0..<playJobs {
        let rawJob = 20_000 + 2 * index
        let play = Array(
            ("POST /api/v4/projects/100/jobs/\(rawJob)/play HTTP/1.1\r\nHost: 127.0.0.1\r\nPRIVATE-TOKEN: alice-token\r\n"
                + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)").utf8)
        rawPlay.append(milliseconds(try clock.measure {
            let status = try raw.roundTrip(play)
            guard status == 200 else { throw GitLabError(.unexpectedStatus, status: status) }
        }))
        clientPlay.append(milliseconds(try await clock.measure {
            let outcome = try await client.play(job: rawJob + 1, in: .id(100), variables: variables)
            guard outcome.isPlayedByUs else { throw GitLabError(.unexpectedStatus) }
        }))
    }
    report("GET /user", raw: rawGet, client: clientGet)
    report("POST play", raw: rawPlay, client: clientPlay)
    try await client.shutdown()
    try await sim.shutdown()
}

func benchMembers() async throws {
    let seed = try SimSeed.decode(json: Data(BenchSeed.make(members: 9_999, manualJobs: 0).utf8))
    let sim = try await GitLabSimulator.start(seed: seed)
    let client = try GitLabClient(server: try GitLabServer(sim.baseURL), credentials: .accessToken("alice-token"))
    _ = try await client.members(of: .group("acme"))  // warm-up
    var runs: [Double] = []
    for _ in 0..<5 {
        runs.append(milliseconds(try await ContinuousClock().measure {
            let members = try await client.members(of: .group("acme"))
            guard members.count == 10_000 else { throw GitLabError(.unexpectedStatus) }
        }))
    }
    print("members/all, 10,000 members in 100 pages: median \(format(percentile(runs, 0.5))) ms, runs \(runs.map(format))")
    try await client.shutdown()
    try await sim.shutdown()
}

try await benchGetAndPlay()
try await benchMembers()
