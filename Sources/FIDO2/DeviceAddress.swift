/// Where a security key is reached: a Linux hidraw node (a real key) or `unix:PATH`, a Unix
/// stream socket carrying raw 64-byte CTAPHID reports (a software key such as the virtual key).
///
/// Accepted spellings (from `--device` or `CIAUTH_DEVICE`): `/dev/hidraw3`, `unix:/tmp/key.sock`,
/// and comma-separated lists of those.
public struct DeviceAddress: Hashable, Sendable, CustomStringConvertible {
    public enum Transport: Hashable, Sendable {
        case hidraw(path: String)
        case unixSocket(path: String)
    }

    public let transport: Transport

    public init(hidrawPath path: String) { transport = .hidraw(path: path) }
    public init(unixSocketPath path: String) { transport = .unixSocket(path: path) }

    /// Parses one address; whitespace around it is ignored.
    public init(parsing text: String) throws(FIDO2Error) {
        let value = text.trimmingWhitespace()
        if value.hasPrefix("unix:") {
            let path = String(value.dropFirst("unix:".count))
            try DeviceAddress.validate(path: path, original: value)
            self.init(unixSocketPath: path)
        } else if value.hasPrefix("/dev/hidraw") {
            let number = value.dropFirst("/dev/hidraw".count)
            guard !number.isEmpty, number.count <= 4, number.allSatisfy(\.isASCIIDigit) else {
                throw FIDO2Error(.invalidAddress, "\"\(value)\" is not a hidraw device path (expected /dev/hidrawN).")
            }
            self.init(hidrawPath: value)
        } else {
            throw FIDO2Error(
                .invalidAddress,
                "\"\(value)\" is not a device address: use a hidraw path such as /dev/hidraw0 or unix:/path/to/socket."
            )
        }
    }

    /// Parses a comma-separated list, rejecting empty entries and duplicates.
    public static func parseList(_ text: String) throws(FIDO2Error) -> [DeviceAddress] {
        var addresses: [DeviceAddress] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard !item.trimmingWhitespace().isEmpty else {
                throw FIDO2Error(.invalidAddress, "Empty entry in the device list \"\(text)\".")
            }
            let address = try DeviceAddress(parsing: String(item))
            guard !addresses.contains(address) else {
                throw FIDO2Error(.invalidAddress, "\(address) appears twice in the device list.")
            }
            addresses.append(address)
        }
        return addresses
    }

    public var description: String {
        switch transport {
        case .hidraw(let path): path
        case .unixSocket(let path): "unix:\(path)"
        }
    }

    private static func validate(path: String, original: String) throws(FIDO2Error) {
        guard !path.isEmpty else {
            throw FIDO2Error(.invalidAddress, "\"\(original)\" names no socket path.")
        }
        // sockaddr_un.sun_path holds 108 bytes including the terminating NUL.
        guard path.utf8.count < 108 else {
            throw FIDO2Error(.invalidAddress, "The socket path in \"\(original)\" is longer than 107 bytes.")
        }
        guard !path.utf8.contains(0) else {
            throw FIDO2Error(.invalidAddress, "The socket path in \"\(original)\" contains a NUL byte.")
        }
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars.drop(while: \.properties.isWhitespace)
        var trimmed = String(String.UnicodeScalarView(scalars))
        while let last = trimmed.unicodeScalars.last, last.properties.isWhitespace {
            trimmed.unicodeScalars.removeLast()
        }
        return trimmed
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
