import Crypto

/// What a rate limit counts by (a client address, an email, a user), as the SHA-256 of its text: 32 bytes held
/// inline whatever the text's length, so that every key of a limiter costs the same memory and none holds a string
/// a client chose.
public struct RateLimitKey: Hashable, Sendable {
    private let word0: UInt64
    private let word1: UInt64
    private let word2: UInt64
    private let word3: UInt64

    /// The key of `text`.
    public init(_ text: String) {
        let digest = SHA256.hash(data: Array(text.utf8))
        let words = digest.withUnsafeBytes { bytes in
            (
                bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self),
                bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
            )
        }
        (word0, word1, word2, word3) = (words.0, words.1, words.2, words.3)
    }
}
