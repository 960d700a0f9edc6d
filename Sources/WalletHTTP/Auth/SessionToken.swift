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
}
