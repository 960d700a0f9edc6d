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
