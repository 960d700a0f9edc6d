import Crypto
import Foundation
import Testing
import WalletCore
import WalletHTTP

/// The hand-written text formats of responses and stored hashes.
@Suite("Text formats")
struct TextFormatsTests {
    @Test func timestampsAreRFC3339UTCWithMicroseconds() {
        #expect(RFC3339.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000000Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_709_251_199.999_999)) == "2024-02-29T23:59:59.999999Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_790_000_000.000_042)) == "2026-09-21T14:13:20.000042Z")
        // Foundation agrees, to the second.
        let date = Date(timeIntervalSince1970: 1_234_567_890.5)
        #expect(RFC3339.format(date).hasPrefix(date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false)).replacingOccurrences(of: "Z", with: "")))
    }

    @Test func hexIsTwoLowerCaseDigitsPerByte() {
        #expect(Hex.lowercase([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
        #expect(Hex.lowercase([UInt8]()) == "")
        #expect(Hex.lowercase(SHA256.hash(data: Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func tokensAreStoredAsTheirSHA256() {
        #expect(SecretToken.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    /// Returns `scripted` values first, then those of a seeded generator.
    struct ScriptedGenerator: RandomNumberGenerator {
        var scripted: [UInt64]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15

        mutating func next() -> UInt64 {
            if !scripted.isEmpty { return scripted.removeFirst() }
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state
        }
    }

    @Test func aSessionTokenNeverReadsAsAnAPIKey() {
        // Bytes C2 4F FF … are "wk_…" in URL-safe base64 (110000 100100 111111 …).
        let apiKeyLike: UInt64 = 0x00_00_00_00_00_FF_4F_C2
        var plain = ScriptedGenerator(scripted: [apiKeyLike])
        let drawn = SecretToken.generate(using: &plain)
        #expect(drawn.hasPrefix(APIKey.secretPrefix) && drawn.count == 43, "the script yields such a token: \(drawn)")

        // Two draws in a row that read as API keys, then an ordinary one.
        var scripted = ScriptedGenerator(scripted: [apiKeyLike, 0, 0, 0, apiKeyLike, 1, 2, 3])
        let token = SecretToken.generate(notStartingWith: APIKey.secretPrefix, using: &scripted)
        #expect(!token.hasPrefix(APIKey.secretPrefix) && token.count == 43, "\(token)")
        #expect(scripted.scripted.isEmpty, "both scripted draws were made and refused")
    }

    @Test func tokenHashesAreComparedWhole() {
        let hash = SecretToken.hash("abc")
        #expect(SecretToken.hashesMatch(hash, hash))
        #expect(!SecretToken.hashesMatch(hash, String(hash.dropLast()) + "e"), "a difference in the last digit counts")
        #expect(!SecretToken.hashesMatch(hash, "c" + hash.dropFirst()), "a difference in the first digit counts")
        #expect(!SecretToken.hashesMatch(hash, String(hash.dropLast())), "a shorter hash never matches")
        #expect(!SecretToken.hashesMatch(hash, hash.uppercased()), "hashes compare byte for byte, not by any collation")
        #expect(!SecretToken.hashesMatch("", hash))
    }
}
