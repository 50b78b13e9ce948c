import Foundation
import GitLab
import GitLabSim
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Latency and throughput of the client against the simulator on loopback, compared with a
/// raw-socket HTTP/1.1 round trip over a kept-alive connection. Opt-in (slow, and meaningful
/// only in release mode):
///
///     CIAUTH_BENCH=1 swift test -c release --filter GitLabTests.BenchmarkTests
@Suite(.serialized) struct BenchmarkTests {
    static let enabled = ProcessInfo.processInfo.environment["CIAUTH_BENCH"] == "1"
    static let iterations = 2000
    static let playJobs = 1000

    @Test(.enabled(if: enabled)) func getAndPlayLatency() async throws {
        let seed = Seeds.standard(extraGroupMembers: 0).replacingOccurrences(
            of: #"{"id": 9003,"#, with: Self.manualJobs(count: Self.playJobs * 2) + #"{"id": 9003,"#)
        try await withSimulator(seed: seed, options: GitLabClientOptions()) { sim, client in
            let port = try #require(sim.baseURL.split(separator: ":").last.flatMap { Int($0) })
            let raw = try RawHTTP(port: port)
            defer { raw.close() }
            let getRequest = "GET /api/v4/user HTTP/1.1\r\nHost: 127.0.0.1\r\nPRIVATE-TOKEN: alice-token\r\nAccept: application/json\r\n\r\n"

            for _ in 0..<200 {  // warm-up
                _ = try raw.roundTrip(getRequest)
                _ = try await client.currentUser()
            }
            var rawGet: [Double] = []
            var clientGet: [Double] = []
            for _ in 0..<Self.iterations {
                rawGet.append(try Self.time { _ = try raw.roundTrip(getRequest) })
                clientGet.append(try await Self.timeAsync { _ = try await client.currentUser() })
            }
            sim.clearRequests()

            var rawPlay: [Double] = []
            var clientPlay: [Double] = []
            for index in 0..<Self.playJobs {
                let rawJob = 20_000 + 2 * index
                let body = #"{"job_variables_attributes":[{"key":"CIAUTH_APPROVAL","value":"x"}]}"#
                let playRequest = "POST /api/v4/projects/100/jobs/\(rawJob)/play HTTP/1.1\r\nHost: 127.0.0.1\r\nPRIVATE-TOKEN: alice-token\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
                rawPlay.append(try Self.time {
                    let status = try raw.roundTrip(playRequest)
                    guard status == 200 else { throw GitLabError(.unexpectedStatus, status: status) }
                })
                let variables = [PlayVariable(key: "CIAUTH_APPROVAL", value: "x")]
                clientPlay.append(try await Self.timeAsync {
                    let outcome = try await client.play(job: rawJob + 1, in: .id(100), variables: variables)
                    guard outcome.isPlayedByUs else { throw GitLabError(.unexpectedStatus) }
                })
            }
            Self.report("GET /user", raw: rawGet, client: clientGet)
            Self.report("POST play", raw: rawPlay, client: clientPlay)
        }
    }

    @Test(.enabled(if: enabled)) func pagingTenThousandMembers() async throws {
        try await withSimulator(seed: Seeds.standard(extraGroupMembers: 9_999), options: GitLabClientOptions()) { _, client in
            _ = try await client.members(of: .group("acme"))  // warm-up
            var runs: [Double] = []
            for _ in 0..<5 {
                runs.append(try await Self.timeAsync {
                    let members = try await client.members(of: .group("acme"))
                    guard members.count == 10_000 else { throw GitLabError(.unexpectedStatus) }
                })
            }
            print("BENCH members/all 10,000 (100 pages of 100): median \(Self.format(Self.median(runs))) ms, runs \(runs.map(Self.format))")
        }
    }

    static func manualJobs(count: Int) -> String {
        (0..<count).map {
            #"{"id": \#(20_000 + $0), "name": "bench\#($0)", "stage": "deploy", "status": "manual", "when": "manual", "script": "true"},"#
        }.joined()
    }

    static func time(_ body: () throws -> Void) throws -> Double {
        let start = ContinuousClock.now
        try body()
        return (ContinuousClock.now - start).inMilliseconds
    }

    static func timeAsync(_ body: () async throws -> Void) async throws -> Double {
        let start = ContinuousClock.now
        try await body()
        return (ContinuousClock.now - start).inMilliseconds
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted[sorted.count / 2]
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }

    static func format(_ value: Double) -> String { String(format: "%.3f", value) }

    static func report(_ name: String, raw: [Double], client: [Double]) {
        let overhead = median(client) - median(raw)
        print(
            "BENCH \(name): n=\(client.count) raw median \(format(median(raw))) ms (p90 \(format(percentile(raw, 0.9)))), "
                + "client median \(format(median(client))) ms (p90 \(format(percentile(client, 0.9)))), "
                + "client overhead \(format(overhead)) ms")
    }
}

extension Duration {
    fileprivate var inMilliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}

/// The baseline: one kept-alive TCP connection, a request written by hand, the response read
/// up to its Content-Length. No TLS, no JSON, no pooling.
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

    func close() { _ = Glibc.close(fd) }

    /// Sends one request and reads one response; returns the status code.
    func roundTrip(_ request: String) throws -> Int {
        let bytes = Array(request.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw GitLabError(.connectionDropped) }
            sent += n
        }
        while true {
            if let (status, length) = parse() {
                buffer.removeFirst(length)
                return status
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw GitLabError(.connectionDropped) }
            buffer += chunk[0..<n]
        }
    }

    /// Status and total length of a complete response at the start of the buffer.
    private func parse() -> (Int, Int)? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard buffer.count >= 4, let end = (0...(buffer.count - 4)).first(where: { Array(buffer[$0..<$0 + 4]) == separator }) else {
            return nil
        }
        let head = String(decoding: buffer[0..<end], as: UTF8.self)
        let lines = head.split(separator: "\r\n")
        guard let statusLine = lines.first, let status = Int(statusLine.split(separator: " ")[1]) else { return nil }
        let length = lines.compactMap { line -> Int? in
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
            return Int(parts[1].trimmingCharacters(in: .whitespaces))
        }.first ?? 0
        let total = end + 4 + length
        return buffer.count >= total ? (status, total) : nil
    }
}
