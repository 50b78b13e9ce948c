import Foundation
import NIOSSL

/// The name a GitLab server's certificate must carry: the host of the server URL as written,
/// a DNS name or an IP literal.
///
/// NIOSSL's own check also accepts a certificate whose IP address names the peer the socket
/// reached, whatever the URL says; through a CONNECT proxy that peer is the proxy, so a
/// certificate for the proxy's address would pass for any server. This check compares only with
/// the URL's host (RFC 6125: subjectAltName entries, never the common name).
struct ServerIdentity: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// Lowercased, without a trailing dot.
        case name(String)
        /// 4 or 16 bytes.
        case address([UInt8])
    }

    let kind: Kind

    init(host: String) {
        if let bytes = Self.addressBytes(host) {
            kind = .address(bytes)
        } else {
            var name = host.lowercased()
            if name.hasSuffix(".") { name.removeLast() }
            kind = .name(name)
        }
    }

    /// The SNI value: the host when it is a name; IP literals are never sent (RFC 6066 §3).
    var serverNameIndication: String? {
        guard case .name(let name) = kind else { return nil }
        return name
    }

    /// Whether the leaf certificate names this server in a subjectAltName entry.
    func isNamed(by certificate: NIOSSLCertificate) -> Bool {
        certificate._subjectAlternativeNames().contains { entry in
            let bytes = Array(entry.contents)
            switch (kind, entry.nameType) {
            case (.name(let name), .dnsName):
                return Self.dnsName(bytes, matches: name)
            case (.address(let address), .ipAddress):
                return bytes == address
            default:
                return false
            }
        }
    }

    /// RFC 6125 §6.4: case-insensitive; a wildcard only as the whole left-most label, standing for
    /// exactly one label, and never below fewer than two further labels.
    static func dnsName(_ presented: [UInt8], matches name: String) -> Bool {
        guard let text = String(bytes: presented, encoding: .ascii) else { return false }
        var pattern = text.lowercased()
        if pattern.hasSuffix(".") { pattern.removeLast() }
        guard !pattern.isEmpty, !name.isEmpty else { return false }
        guard pattern.hasPrefix("*.") else { return !pattern.contains("*") && pattern == name }
        let suffix = pattern.dropFirst(2)
        guard !suffix.contains("*"), suffix.split(separator: ".").count >= 2,
            let dot = name.firstIndex(of: "."), name.startIndex != dot
        else { return false }
        return name[name.index(after: dot)...] == suffix
    }

    static func addressBytes(_ host: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }
}
