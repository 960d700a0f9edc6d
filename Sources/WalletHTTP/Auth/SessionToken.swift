import Crypto
import Foundation
import WalletCore

/// Bearer tokens: random, shown to the client once, stored only as a SHA-256 hash.
public enum SessionToken {
    /// Random bytes in a token (256 bits).
    public static let randomByteCount = 32

    /// A new token, URL-safe base64 without padding.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<randomByteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The hash under which a token is stored and looked up (hex SHA-256).
    ///
    /// Looking a token up by its hash in a unique index compares hashes, never the token itself, so the
    /// comparison leaks nothing useful about the token through timing.
    public static func hash(_ token: String) -> String {
        Hex.lowercase(SHA256.hash(data: Array(token.utf8)))
    }

    /// Whether two token hashes are equal, in time that depends only on their length (which is public: 64 hex
    /// digits), never on where they first differ. The database finds a session by the hash; the service then
    /// compares the stored hash with the presented one this way, so that neither a collation nor an early-exit
    /// comparison decides who is signed in.
    public static func hashesMatch(_ stored: String, _ presented: String) -> Bool {
        let left = Array(stored.utf8)
        let right = Array(presented.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
