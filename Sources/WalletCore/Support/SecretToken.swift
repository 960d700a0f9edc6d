import Crypto
import Foundation

/// Bearer secrets, session tokens and API keys alike: random, shown to the client once, stored only as a SHA-256
/// hash.
public enum SecretToken {
    /// Random bytes in a secret (256 bits).
    public static let randomByteCount = 32

    /// Draws ``generate(notStartingWith:using:)`` makes at most; each repeats with probability 64^-3 for a 3-character
    /// prefix, so the bound is never reached in practice.
    public static let maximumDraws = 4

    /// A new secret: `prefix`, then the random bytes in URL-safe base64 without padding (43 characters).
    public static func generate(prefix: String = "") -> String {
        var generator = SystemRandomNumberGenerator()
        return generate(prefix: prefix, using: &generator)
    }

    /// A new secret with `prefix`, its random bytes drawn from `generator` (8 bytes a draw, little-endian).
    public static func generate(prefix: String = "", using generator: inout some RandomNumberGenerator) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(randomByteCount)
        while bytes.count < randomByteCount {
            withUnsafeBytes(of: generator.next().littleEndian) { bytes += $0.prefix(randomByteCount - bytes.count) }
        }
        return prefix
            + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// A new secret without a prefix that never starts with `reserved`, the prefix that marks another kind of
    /// secret (a session token must never read as an API key's `wk_…`, or it would be looked up as one).
    public static func generate(notStartingWith reserved: String) -> String {
        var generator = SystemRandomNumberGenerator()
        return generate(notStartingWith: reserved, using: &generator)
    }

    /// ``generate(notStartingWith:)`` with the bytes drawn from `generator`.
    public static func generate(notStartingWith reserved: String, using generator: inout some RandomNumberGenerator) -> String {
        precondition(!reserved.isEmpty, "a reserved prefix has characters")
        for _ in 0..<maximumDraws {
            let secret = generate(using: &generator)
            if !secret.hasPrefix(reserved) { return secret }
        }
        preconditionFailure("\(maximumDraws) secrets in a row started with \(reserved): the random number generator is broken")
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
