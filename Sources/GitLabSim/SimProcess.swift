import Dispatch
import Foundation
import Logging

/// What the `gitlab-sim` executable does: start, print the URL as the first line of stdout,
/// serve until SIGTERM or SIGINT, then shut down cleanly.
public enum SimProcess {
    public static func run(seedPath: String, host: String, port: Int, faults: [String], logger: Logger) async throws {
        var seed = try SimSeed.load(path: seedPath)
        for text in faults {
            do {
                seed.faults.append(try SimSeed.decoder().decode(SimFaultRule.self, from: Data(text.utf8)))
            } catch {
                throw SimError.invalidRequest("--fault \(text): \(error)")
            }
        }
        // Handlers go in before the URL is printed: a caller may signal as soon as it reads it.
        let signals = SignalSources()
        let (arrivals, continuation) = AsyncStream.makeStream(of: Int32.self)
        signals.install(signals: [SIGTERM, SIGINT]) { number in continuation.yield(number) }
        let simulator = try await GitLabSimulator.start(seed: seed, host: host, port: port, logger: logger)
        FileHandle.standardOutput.write(Data((simulator.baseURL + "\n").utf8))
        var iterator = arrivals.makeAsyncIterator()
        let signal = await iterator.next()
        logger.info("stopping", metadata: ["signal": "\(signal ?? 0)"])
        try await simulator.shutdown()
        withExtendedLifetime(signals) {}
    }
}

/// Keeps the dispatch signal sources alive; reports the first signal only.
private final class SignalSources: @unchecked Sendable {
    private let lock = NSLock()
    private var sources: [DispatchSourceSignal] = []
    private var fired = false

    func install(signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
        let queue = DispatchQueue(label: "gitlab-sim.signals")
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [self] in
                let first = lock.withLock { () -> Bool in
                    defer { fired = true }
                    return !fired
                }
                if first { handler(number) }
            }
            source.resume()
            lock.withLock { sources.append(source) }
        }
    }
}
