/// One check of `ciauth doctor`: what was found and, when it is not OK, what to do.
public struct DoctorCheck: Codable, Hashable, Sendable {
    public enum Status: String, Codable, Hashable, Sendable {
        case ok = "OK"
        case warn = "WARN"
        case fail = "FAIL"
    }

    public var name: String
    public var status: Status
    public var message: String
    public var fix: String?

    public init(_ name: String, _ status: Status, _ message: String, fix: String? = nil) {
        self.name = name
        self.status = status
        self.message = message
        self.fix = fix
    }
}
