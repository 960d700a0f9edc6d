import Foundation

/// A webhook endpoint's URL, checked when it is registered: `https` (or `http` where insecure local receivers are
/// allowed), a host, no credentials or fragment, at most ``maximumLength`` bytes, and no address literal that
/// deliveries may not reach. Where a host name resolves is checked again at every delivery.
public struct WebhookURL: Hashable, Sendable, CustomStringConvertible {
    /// The longest URL, in bytes.
    public static let maximumLength = 2_048

    /// The URL as registered.
    public let rawValue: String
    /// `https` or `http`.
    public let scheme: String
    /// The host as written, without the brackets of an IPv6 literal.
    public let host: String
    /// The port, the scheme's default when the URL names none.
    public let port: Int
    /// The path and query sent in the request line (`/` when the URL has no path).
    public let target: String

    /// Why a URL is refused.
    public struct Refusal: Error, Hashable, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// `text` as a webhook URL under `policy`, or the reason it is refused.
    public init(_ text: String, policy: WebhookAddressPolicy) throws(Refusal) {
        try self.init(text, checkingAgainst: policy)
    }

    /// A URL as stored: registered under the policy of its day. Deliveries check it again under theirs.
    init(stored text: String) throws(Refusal) {
        try self.init(text, checkingAgainst: nil)
    }

    private init(_ text: String, checkingAgainst policy: WebhookAddressPolicy?) throws(Refusal) {
        guard text.utf8.count <= Self.maximumLength else { throw Refusal(description: "must be at most \(Self.maximumLength) bytes") }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw Refusal(description: "is not an absolute URL")
        }
        if let policy { try policy.check(scheme: scheme) }
        guard components.user == nil, components.password == nil else { throw Refusal(description: "must not carry credentials") }
        guard components.fragment == nil else { throw Refusal(description: "must not have a fragment") }
        guard var host = components.percentEncodedHost, !host.isEmpty else { throw Refusal(description: "must name a host") }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        host = host.lowercased()
        guard host.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "%") }) else {
            throw Refusal(description: "must name its host in ASCII (punycode for international names)")
        }
        if let policy {
            if let address = IPAddress(host) {
                if let reason = policy.refusal(of: address) { throw Refusal(description: "names \(reason)") }
                guard scheme == "http" else { throw Refusal(description: "must name its host by name, which the certificate is checked against") }
            } else if host == "localhost" || host.hasSuffix(".localhost") || host.hasSuffix(".local") || host.hasSuffix(".internal") {
                guard policy.allowsInsecureLocal else { throw Refusal(description: "names a local host") }
            }
        }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        guard (1...65_535).contains(port) else { throw Refusal(description: "has no valid port") }
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        self.rawValue = text
        self.scheme = scheme
        self.host = host
        self.port = port
        self.target = path + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
    }

    /// Whether the connection is TLS.
    public var isSecure: Bool { scheme == "https" }

    /// The `Host` header: the host, and the port when it is not the scheme's default.
    public var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == (isSecure ? 443 : 80) ? name : "\(name):\(port)"
    }

    public var description: String { rawValue }
}
