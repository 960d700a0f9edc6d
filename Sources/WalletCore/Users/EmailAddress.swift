/// An email address, normalised to lower case: how users are found at sign-in and kept unique.
///
/// The check is deliberately simple (the only proof of an address is mail that arrives): one `@`, a non-empty local
/// part of at most 64 bytes, a domain with a dot and no empty labels, no whitespace or control characters, at most
/// 254 bytes in all (RFC 5321's limit on a path).
public struct EmailAddress: Hashable, Sendable, CustomStringConvertible {
    /// The longest address, in UTF-8 bytes.
    public static let maximumLength = 254
    /// The longest local part (before the `@`), in UTF-8 bytes.
    public static let maximumLocalPartLength = 64

    /// The address in lower case.
    public let normalized: String

    /// The address `text` in lower case, or nil when it is not a plausible email address.
    public init?(_ text: String) {
        let lowered = text.lowercased()
        guard lowered.utf8.count <= Self.maximumLength,
            !lowered.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.properties.generalCategory == .control })
        else { return nil }
        let parts = lowered.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let (local, domain) = (parts[0], parts[1])
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard !local.isEmpty, local.utf8.count <= Self.maximumLocalPartLength,
            labels.count >= 2, labels.allSatisfy({ !$0.isEmpty })
        else { return nil }
        self.normalized = lowered
    }

    public var description: String { normalized }
}
