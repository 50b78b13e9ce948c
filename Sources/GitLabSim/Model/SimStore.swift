import Foundation

/// The world behind a lock. Handlers do each request's reads and writes in one critical
/// section, so every request sees and leaves a consistent state.
final class SimStore: @unchecked Sendable {
    private let lock = NSLock()
    private var world: SimWorld

    init(world: SimWorld) {
        self.world = world
    }

    func withWorld<T, E: Error>(_ body: (inout SimWorld) throws(E) -> T) throws(E) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&world)
    }

    func snapshot() -> SimWorld {
        withWorld { $0 }
    }
}
