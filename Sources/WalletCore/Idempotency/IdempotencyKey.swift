/// A client's idempotency key: 1 to 255 visible ASCII characters, scoped to the principal (user or application) that sends it.
public struct IdempotencyKey: Hashable, Sendable, CustomStringConvertible {
    /// The longest key, in characters.
    public static let maximumLength = 255

    /// The key as the client sent it.
    public let rawValue: String

    /// The key `rawValue`, or nil when it is empty, too long, or holds anything but visible ASCII (`!` to `~`).
    public init?(_ rawValue: String) {
        guard (1...Self.maximumLength).contains(rawValue.utf8.count),
            rawValue.utf8.allSatisfy({ (0x21...0x7E).contains($0) })
        else { return nil }
        self.rawValue = rawValue
    }

    public var description: String { rawValue }
}
