import Foundation

/// Device-wide CTAPHID state shared by every connection: allocated channels and the one
/// transaction in progress (a second channel's request meanwhile → ERR_CHANNEL_BUSY).
final class ChannelTable: @unchecked Sendable {
    struct Owner: Equatable {
        var connection: Int
        var channel: UInt32
    }

    private let lock = NSLock()
    private var allocated: Set<UInt32> = []
    private var busyOwner: Owner?

    func allocate() -> UInt32 {
        lock.withLock {
            var channel: UInt32
            repeat {
                channel = UInt32.random(in: 1..<CTAPHID.broadcastChannel)
            } while allocated.contains(channel)
            allocated.insert(channel)
            return channel
        }
    }

    func isAllocated(_ channel: UInt32) -> Bool {
        lock.withLock { allocated.contains(channel) }
    }

    /// True if the caller now owns the device (or another channel does not).
    func tryAcquire(_ owner: Owner) -> Bool {
        lock.withLock {
            guard busyOwner == nil else { return false }
            busyOwner = owner
            return true
        }
    }

    func isBusy(forOtherThan owner: Owner) -> Bool {
        lock.withLock { busyOwner != nil && busyOwner != owner }
    }

    func release(_ owner: Owner) {
        lock.withLock {
            if busyOwner == owner { busyOwner = nil }
        }
    }
}
