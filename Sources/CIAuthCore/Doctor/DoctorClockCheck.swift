import Foundation
import GitLab

/// This machine's clock against GitLab's `Date` header. Approvals carry the signer's time:
/// verify refuses a statement issued further in the future than its clock-skew tolerance, and
/// a clock running behind makes approvals look older, so they expire early.
public enum DoctorClockCheck {
    /// Skew up to this many seconds is normal drift and network delay.
    public static let warnAbove: TimeInterval = 30

    /// OK up to `warnAbove`, WARN up to verify's tolerance, FAIL beyond. The skew is the smallest
    /// offset the reading allows (the round trip and the header's whole seconds blur it).
    public static func check(_ reading: ServerClockReading, tolerance: Int64 = ApprovalPolicy.default.clockSkew) -> DoctorCheck {
        let name = "clock"
        guard let range = reading.offsetRange else {
            return DoctorCheck(
                name, .warn, "GitLab's answer had no valid Date header; the clock skew is unknown",
                fix: "make sure this machine's clock is synchronized (timedatectl set-ntp true, or chrony)")
        }
        // offset = GitLab's clock minus ours.
        let offset = range.contains(0) ? 0 : (range.lowerBound > 0 ? range.lowerBound : range.upperBound)
        let skew = abs(offset)
        let roundTrip = Int((reading.roundTrip * 1000).rounded())
        guard skew > warnAbove else {
            return DoctorCheck(name, .ok, "this machine's clock agrees with GitLab's within \(Int(warnAbove)) s (\(Int(skew.rounded())) s; round trip \(roundTrip) ms)")
        }
        let seconds = Int(skew.rounded())
        let consequence = offset < 0
            ? "approvals made here look issued \(seconds) s in the future, and verify refuses more than \(tolerance) s"
            : "approvals made here look \(seconds) s older than they are, so they expire that much early"
        let message = "this machine's clock is \(seconds) s \(offset < 0 ? "ahead of" : "behind") GitLab's: \(consequence)"
        return DoctorCheck(
            name, skew > TimeInterval(tolerance) ? .fail : .warn, message,
            fix: "synchronize this machine's clock (timedatectl set-ntp true, or chrony); approvals are time-bound")
    }
}
