public import Foundation

/// A backend that uses the service with API keys instead of a user's session: a principal that owns wallets.
public struct ClientApplication: Hashable, Sendable {
    /// The application's id (`app_…`).
    public let id: ApplicationID
    /// The operator's name for it, unique (``ApplicationName``).
    public let name: ApplicationName
    /// When it was created.
    public let createdAt: Date
}

extension ClientApplication: IdentifierKind {
    /// Application ids start with `app_`.
    public static let identifierPrefix = "app"
}

/// The name an operator gives an application (`billing`): 1 to 64 of `a`–`z`, `0`–`9`, `-` and `_`, starting with a
/// letter or digit.
public struct ApplicationName: Hashable, Sendable, CustomStringConvertible {
    /// The longest name, in characters.
    public static let maximumLength = 64

    /// The name.
    public let rawValue: String

    /// The name `text`, or nil when it is not a valid name.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard (1...Self.maximumLength).contains(bytes.count),
            let first = bytes.first, Self.isLetterOrDigit(first),
            bytes.allSatisfy({ Self.isLetterOrDigit($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") })
        else { return nil }
        self.rawValue = text
    }

    public var description: String { rawValue }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
