import Crypto
import Foundation

/// Bearer secrets, session tokens and API keys alike: random, shown to the client once, stored only as a SHA-256
/// hash.
public enum SecretToken {
    /// Random bytes in a secret (256 bits).
    public static let randomByteCount = 32

    /// A new secret: `prefix`, then the random bytes in URL-safe base64 without padding (43 characters).
    public static func generate(prefix: String = "") -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<randomByteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return prefix
            + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The hash under which a secret is stored and looked up (hex SHA-256, 64 digits).
    ///
    /// Looking a secret up by its hash in a unique index compares hashes, never the secret itself, so the
    /// comparison leaks nothing useful about the secret through timing.
    public static func hash(_ secret: String) -> String {
        Hex.lowercase(SHA256.hash(data: Array(secret.utf8)))
    }

    /// Whether two hashes are equal, in time that depends only on their length (which is public: 64 hex digits),
    /// never on where they first differ. The database finds a session or key by the hash; the service then compares
    /// the stored hash with the presented one this way, so that neither a collation nor an early-exit comparison
    /// decides who is signed in.
    public static func hashesMatch(_ stored: String, _ presented: String) -> Bool {
        let left = Array(stored.utf8)
        let right = Array(presented.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
