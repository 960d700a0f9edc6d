import Foundation
import Testing

@testable import MariaDB

@Suite("UTC date-times")
struct UTCDateTimeTests {
    @Test func knownInstantsHaveTheirCalendarFields() {
        let epoch = UTCDateTime(Date(timeIntervalSince1970: 0))
        #expect([epoch.year, epoch.month, epoch.day, epoch.hour, epoch.minute, epoch.second, epoch.microsecond] == [1970, 1, 1, 0, 0, 0, 0])
        // 2024-02-29T23:59:59.999999Z, a leap day, one microsecond before March.
        let leap = UTCDateTime(Date(timeIntervalSince1970: 1_709_251_199.999_999))
        #expect([leap.year, leap.month, leap.day, leap.hour, leap.minute, leap.second, leap.microsecond] == [2024, 2, 29, 23, 59, 59, 999_999])
        // Before 1970: 1969-12-31T23:59:59.500000Z.
        let before = UTCDateTime(Date(timeIntervalSince1970: -0.5))
        #expect([before.year, before.month, before.day, before.second, before.microsecond] == [1969, 12, 31, 59, 500_000])
    }

    @Test func convertingAgainGivesTheSameFields() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100_000 {
            // Instants between 1970 and 2100 with sub-microsecond noise, as Date() gives them.
            let date = Date(timeIntervalSince1970: Double.random(in: 0..<4_102_444_800, using: &generator))
            let fields = UTCDateTime(date)
            #expect(UTCDateTime(fields.date) == fields, "\(date.timeIntervalSince1970)")
            #expect(abs(fields.date.timeIntervalSince(date)) <= 0.000_000_5 + 1e-6, "rounded to the nearest microsecond")
        }
    }

    @Test func mariaDBFieldsRoundTrip() {
        let date = Date(timeIntervalSince1970: 1_790_000_000.123_456)
        #expect(MariaDBDateTime.date(from: MariaDBDateTime.mysqlTime(from: date)) == UTCDateTime(date).date)
        #expect(MariaDBDateTime.parse("2026-09-21 14:13:20.123456") == UTCDateTime(date).date)
    }
}
