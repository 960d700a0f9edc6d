/// Which addresses webhook deliveries may connect to: public unicast addresses only, so that a registered URL
/// cannot make the service reach into its own network (SSRF). Checked on the literal of a URL when it is
/// registered, and on every address its host resolves to at each delivery, where a DNS answer may have changed.
///
/// Refused: unspecified, loopback, private (RFC 1918, IPv6 unique local), shared (CGNAT), link-local (which holds
/// the cloud metadata address 169.254.169.254), benchmarking, documentation, multicast, reserved and broadcast
/// addresses, and IPv6 addresses that carry one of those IPv4 addresses. With ``allowsInsecureLocal`` (tests and
/// local development), `http` URLs and loopback addresses are allowed; nothing else is.
public struct WebhookAddressPolicy: Hashable, Sendable {
    /// Whether `http` URLs and loopback receivers are allowed.
    public let allowsInsecureLocal: Bool

    /// The production policy: `https` to public addresses only.
    public static let publicOnly = WebhookAddressPolicy(allowsInsecureLocal: false)
    /// The policy of tests and local development: loopback and `http` too.
    public static let allowingInsecureLocal = WebhookAddressPolicy(allowsInsecureLocal: true)

    public init(allowsInsecureLocal: Bool) {
        self.allowsInsecureLocal = allowsInsecureLocal
    }

    /// A block of addresses: the first `length` bits of `prefix`.
    struct Block {
        let prefix: [UInt8]
        let length: Int
        let name: String

        func contains(_ bytes: [UInt8]) -> Bool {
            guard bytes.count == prefix.count else { return false }
            var remaining = length
            for (byte, prefixByte) in zip(bytes, prefix) where remaining > 0 {
                let bits = min(8, remaining)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if byte & mask != prefixByte & mask { return false }
                remaining -= bits
            }
            return true
        }
    }

    static let loopbackV4 = Block(prefix: [127, 0, 0, 0], length: 8, name: "a loopback address")
    static let loopbackV6 = Block(prefix: [UInt8](repeating: 0, count: 15) + [1], length: 128, name: "a loopback address")

    /// Every refused IPv4 block (IANA special-purpose registry, less the globally reachable ones).
    static let refusedV4: [Block] = [
        Block(prefix: [0, 0, 0, 0], length: 8, name: "an unspecified (this-network) address"),
        Block(prefix: [10, 0, 0, 0], length: 8, name: "a private address"),
        Block(prefix: [100, 64, 0, 0], length: 10, name: "a shared (carrier-grade NAT) address"),
        loopbackV4,
        Block(prefix: [169, 254, 0, 0], length: 16, name: "a link-local address (cloud metadata lives there)"),
        Block(prefix: [172, 16, 0, 0], length: 12, name: "a private address"),
        Block(prefix: [192, 0, 0, 0], length: 24, name: "an IETF protocol address"),
        Block(prefix: [192, 0, 2, 0], length: 24, name: "a documentation address"),
        Block(prefix: [192, 88, 99, 0], length: 24, name: "a relay anycast address"),
        Block(prefix: [192, 168, 0, 0], length: 16, name: "a private address"),
        Block(prefix: [198, 18, 0, 0], length: 15, name: "a benchmarking address"),
        Block(prefix: [198, 51, 100, 0], length: 24, name: "a documentation address"),
        Block(prefix: [203, 0, 113, 0], length: 24, name: "a documentation address"),
        Block(prefix: [224, 0, 0, 0], length: 4, name: "a multicast address"),
        Block(prefix: [240, 0, 0, 0], length: 4, name: "a reserved or broadcast address"),
    ]

    /// Every refused IPv6 block; addresses carrying IPv4 ones are judged by their IPv4 address.
    static let refusedV6: [Block] = [
        Block(prefix: [UInt8](repeating: 0, count: 16), length: 128, name: "an unspecified address"),
        loopbackV6,
        Block(prefix: [0x01, 0, 0, 0, 0, 0, 0, 0] + [UInt8](repeating: 0, count: 8), length: 64, name: "a discard-only address"),
        Block(prefix: [0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 12), length: 32, name: "a documentation address"),
        Block(prefix: [0x20, 0x01, 0x00, 0x00] + [UInt8](repeating: 0, count: 12), length: 23, name: "an IETF protocol address"),
        Block(prefix: [0xFC] + [UInt8](repeating: 0, count: 15), length: 7, name: "a unique local (private) address"),
        Block(prefix: [0xFE, 0x80] + [UInt8](repeating: 0, count: 14), length: 10, name: "a link-local address"),
        Block(prefix: [0xFE, 0xC0] + [UInt8](repeating: 0, count: 14), length: 10, name: "a site-local address"),
        Block(prefix: [0xFF] + [UInt8](repeating: 0, count: 15), length: 8, name: "a multicast address"),
    ]

    /// Throws when URLs of `scheme` may not be delivered to: `https` always may, `http` only with
    /// ``allowsInsecureLocal``.
    public func check(scheme: String) throws(WebhookURL.Refusal) {
        guard scheme == "https" || (scheme == "http" && allowsInsecureLocal) else {
            throw WebhookURL.Refusal(description: allowsInsecureLocal ? "must be an https or http URL" : "must be an https URL")
        }
    }

    /// Why a delivery may not connect to `address` (such as "a private address"), or nil when it may.
    public func refusal(of address: IPAddress) -> String? {
        if let v4 = address.embeddedIPv4 { return refusal(of: .v4(v4)) }
        switch address {
        case .v4(let bytes):
            if allowsInsecureLocal, Self.loopbackV4.contains(bytes) { return nil }
            return Self.refusedV4.first { $0.contains(bytes) }.map { "\(address), \($0.name)" }
        case .v6(let bytes):
            if allowsInsecureLocal, Self.loopbackV6.contains(bytes) { return nil }
            return Self.refusedV6.first { $0.contains(bytes) }.map { "\(address), \($0.name)" }
        }
    }
}
