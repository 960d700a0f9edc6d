import Foundation

/// A kind of record that has ``Identifier``s, naming the prefix its ids carry.
public protocol IdentifierKind {
    /// The prefix before the underscore, such as `wal` for wallets.
    static var identifierPrefix: String { get }
}

/// The id of a user.
public typealias UserID = Identifier<User>
/// The id of a wallet.
public typealias WalletID = Identifier<Wallet>
/// The id of a ledger transaction.
public typealias TransactionID = Identifier<LedgerTransaction>
/// The id of an application.
public typealias ApplicationID = Identifier<ClientApplication>
/// The id of an application's API key.
public typealias APIKeyID = Identifier<APIKey>
/// The id of a hold on a wallet.
public typealias HoldID = Identifier<Hold>

/// An opaque, unique id such as `wal_01jq8yq2d5x7k9m3n4p6r8t0vw`: a kind prefix, `_`, and 26 characters of
/// lower-case Crockford base32.
///
/// The 26 characters encode 16 bytes: the creation time in milliseconds since 1970 (6 bytes, big-endian), then
/// 10 bytes (80 bits) from the system's cryptographic random number generator. The random part makes ids
/// unguessable and unique; the time part makes new rows land near the end of InnoDB's clustered indexes instead of
/// at random pages. Clients must treat ids as opaque strings.
///
/// Ids order by their bytes, as MariaDB's binary collation orders them: movements lock and update wallets in
/// this order, which is what keeps two transfers from deadlocking.
public struct Identifier<Kind: IdentifierKind>: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Characters after the prefix and underscore.
    public static var encodedLength: Int { CrockfordBase32.encodedLength }

    /// The id as text, prefix included.
    public let rawValue: String

    /// The id written as `text`, or nil when `text` is not an id of this kind (wrong prefix, length or characters).
    ///
    /// Callers that get nil for an id from a URL should answer as for an unknown id (a 404), never reveal more.
    public init?(_ text: String) {
        let prefix = Kind.identifierPrefix + "_"
        guard text.hasPrefix(prefix) else { return nil }
        let body = text.utf8.dropFirst(prefix.utf8.count)
        // 26 characters carry 130 bits; the two leading bits are always zero, so the first character is 0 to 3.
        guard body.count == Self.encodedLength,
            let first = body.first, (UInt8(ascii: "0")...UInt8(ascii: "3")).contains(first),
            body.allSatisfy({ CrockfordBase32.isDigit[Int($0)] })
        else { return nil }
        self.rawValue = text
    }

    private init(unchecked rawValue: String) {
        self.rawValue = rawValue
    }

    /// A new id created at `date`.
    static func generate(at date: Date = Date()) -> Self {
        let milliseconds = UInt64(max(0, (date.timeIntervalSince1970 * 1000).rounded(.down)))
        var generator = SystemRandomNumberGenerator()
        // 48 bits of time, then 80 random bits (64 + 16).
        var value = UInt128(milliseconds & 0xFFFF_FFFF_FFFF) << 80
        value |= UInt128(generator.next() as UInt64) << 16
        value |= UInt128(generator.next() as UInt16)
        var characters = Array(Kind.identifierPrefix.utf8)
        characters.append(UInt8(ascii: "_"))
        CrockfordBase32.append(value, to: &characters)
        return Self(unchecked: String(decoding: characters, as: UTF8.self))
    }

    public var description: String { rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.rawValue.utf8.lexicographicallyPrecedes(rhs.rawValue.utf8)
    }
}

/// Lower-case Crockford base32 of 128-bit values, for ids.
private enum CrockfordBase32 {
    /// Characters that encode 128 bits (130 bits of room, the top two always zero).
    static let encodedLength = 26
    /// Digits and letters without i, l, o and u.
    static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)
    /// Whether each byte value is a digit of ``alphabet``.
    static let isDigit: [Bool] = (0...255).map { alphabet.contains(UInt8($0)) }

    /// Appends the 26 digits of `value`, most significant first.
    static func append(_ value: UInt128, to characters: inout [UInt8]) {
        for index in (0..<encodedLength).reversed() {
            characters.append(alphabet[Int((value >> (5 * index)) & 0x1F)])
        }
    }
}
