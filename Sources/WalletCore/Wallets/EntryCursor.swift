import Foundation

/// Where the next page of a wallet's history, or of a transaction search, starts: an opaque token that names the
/// last entry already seen.
///
/// Encoded as unpadded base64url of 9 bytes: a format version (1), then the entry's sequence number as a big-endian
/// 64-bit integer. Anything else, including other base64 spellings of the same bytes, is not a cursor.
public struct EntryCursor: Hashable, Sendable, CustomStringConvertible {
    /// The format version written into every cursor.
    static let formatVersion: UInt8 = 1
    /// Bytes in a decoded cursor: the version and a 64-bit sequence number.
    static let byteCount = 9
    /// Characters in an encoded cursor (9 bytes are exactly 12 base64 characters).
    static let encodedLength = 12

    /// The sequence number of the last entry seen; the next page holds older entries.
    let lastSequence: Int64

    init(lastSequence: Int64) {
        precondition(lastSequence > 0, "entry sequence numbers start at 1")
        self.lastSequence = lastSequence
    }

    /// The cursor that `encoded` spells, or nil when it is not a cursor (the client's mistake: a 400).
    public init?(encoded: String) {
        guard encoded.utf8.count == Self.encodedLength,
            encoded.utf8.allSatisfy({ $0.isBase64URLDigit }),
            let data = Data(base64Encoded: encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")),
            data.count == Self.byteCount, data.first == Self.formatVersion
        else { return nil }
        let sequence = data.dropFirst().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard let lastSequence = Int64(exactly: sequence), lastSequence > 0 else { return nil }
        self.lastSequence = lastSequence
    }

    /// The cursor as the client sees it.
    public var encoded: String {
        var bytes = [Self.formatVersion]
        for shift in stride(from: 56, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: UInt64(lastSequence) >> UInt64(shift)))
        }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
    }

    public var description: String { encoded }
}

extension UInt8 {
    /// True for the 64 digits of base64url (RFC 4648 §5).
    fileprivate var isBase64URLDigit: Bool {
        switch self {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default: false
        }
    }
}
