import Foundation

/// The spelling of opaque page cursors: unpadded base64url of 9 bytes, a format version that names the kind of
/// cursor, then a positive 64-bit number (big-endian). Anything else, including other base64 spellings of the
/// same bytes, is no cursor.
enum CursorToken {
    /// Bytes in a decoded cursor: the version and a 64-bit number.
    static let byteCount = 9
    /// Characters in an encoded cursor (9 bytes are exactly 12 base64 characters).
    static let encodedLength = 12

    /// `value` (positive) under `version`, as the client sees it.
    static func encode(_ value: Int64, version: UInt8) -> String {
        precondition(value > 0, "cursors name positive numbers")
        var bytes = [version]
        for shift in stride(from: 56, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: UInt64(value) >> UInt64(shift)))
        }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
    }

    /// The positive number `encoded` spells under `version`, or nil when it is no such cursor.
    static func decode(_ encoded: String, version: UInt8) -> Int64? {
        guard encoded.utf8.count == encodedLength,
            encoded.utf8.allSatisfy({ $0.isBase64URLDigit }),
            let data = Data(base64Encoded: encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")),
            data.count == byteCount, data.first == version
        else { return nil }
        let number = data.dropFirst().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard let value = Int64(exactly: number), value > 0 else { return nil }
        return value
    }
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
