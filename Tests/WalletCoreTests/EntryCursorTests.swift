import Foundation
import Testing

@testable import WalletCore

@Suite("History cursors and page sizes")
struct EntryCursorTests {
    @Test(arguments: [Int64(1), 2, 255, 256, 1_000_000_007, .max])
    func cursorsRoundTrip(sequence: Int64) throws {
        let cursor = EntryCursor(lastSequence: sequence)
        #expect(cursor.encoded.utf8.count == 12)
        let decoded = try #require(EntryCursor(encoded: cursor.encoded))
        #expect(decoded.lastSequence == sequence)
    }

    @Test(arguments: [
        "", "AQAAAAAAAAAB=", "AQAAAAAAAAA", "AQAAAAAAAAABA", "AQAAAAAAAA+B", "AQAAAAAAAA/B", "AQAAAAAAAA=B",
        "AgAAAAAAAAAB", "AQAAAAAAAAAA", "AYAAAAAAAAAA", "not a cursor", "AQAAAAAAAAA\u{e9}",
    ])
    func anythingElseIsNotACursor(text: String) {
        #expect(EntryCursor(encoded: text) == nil)
    }

    @Test func theFirstValidCursorIsVersionOneEntryOne() {
        #expect(EntryCursor(encoded: "AQAAAAAAAAAB")?.lastSequence == 1)
    }

    @Test func pageSizesAreOneToAHundred() {
        #expect(PageSize.default.value == 20)
        #expect(PageSize(1)?.value == 1)
        #expect(PageSize(100)?.value == 100)
        #expect(PageSize(0) == nil)
        #expect(PageSize(101) == nil)
        #expect(PageSize(-5) == nil)
    }
}
