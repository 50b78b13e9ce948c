import Foundation

/// What one response says about the server's clock: its `Date` header, and when the request
/// left and the answer arrived by this machine's clock.
public struct ServerClockReading: Sendable, Hashable {
    /// The server's `Date` header; nil when absent or not an IMF-fixdate (then the clock is unknown).
    public let serverDate: Date?
    public let requestSent: Date
    public let responseReceived: Date

    public init(serverDate: Date?, requestSent: Date, responseReceived: Date) {
        self.serverDate = serverDate
        self.requestSent = requestSent
        self.responseReceived = responseReceived
    }

    /// How far the server's clock may be ahead of ours (negative: behind), in seconds.
    ///
    /// The server stamped its answer somewhere between sending and receiving, and the header
    /// drops the fraction of its second, so with agreeing clocks the header lies within
    /// [sent - 1 s, received]. Every offset in the returned range explains the header; nil
    /// when the server's date is unknown.
    public var offsetRange: ClosedRange<TimeInterval>? {
        guard let serverDate else { return nil }
        let low = serverDate.timeIntervalSince(responseReceived)
        let high = serverDate.addingTimeInterval(1).timeIntervalSince(requestSent)
        return low...max(low, high)
    }

    public var roundTrip: TimeInterval { responseReceived.timeIntervalSince(requestSent) }
}
