import Foundation
import MariaDB

extension RFC3339 {
    /// The longest text read as a timestamp: room for any fraction a client means, no more.
    static let maximumLength = 64
    /// Digits of a fraction that count: microseconds, the precision of every stored time.
    static let fractionDigits = 6

    /// Which way a fraction finer than a microsecond goes.
    enum Rounding {
        /// To the microsecond before: right for `>` and `<=` bounds.
        case down
        /// To the microsecond after: right for `<` and `>=` bounds.
        case up
    }

    /// The instant that `text` names as an RFC 3339 `date-time` (§5.6: `T` and `Z` in either case, `Z` or an offset
    /// `±hh:mm`, a fraction of any length whose digits past the microsecond round as `rounding` says), or nil when
    /// it is not one. Leap seconds (`:60`) are not taken: stored times have none.
    static func parse(_ text: String, rounding: Rounding) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count <= maximumLength else { return nil }
        func byte(_ index: Int) -> UInt8? { index < bytes.count ? bytes[index] : nil }
        func digit(_ index: Int) -> Int64? {
            guard let byte = byte(index), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            return Int64(byte - UInt8(ascii: "0"))
        }
        func number(at start: Int, digits count: Int) -> Int64? {
            var value: Int64 = 0
            for index in start..<(start + count) {
                guard let digit = digit(index) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let year = number(at: 0, digits: 4), byte(4) == UInt8(ascii: "-"),
            let month = number(at: 5, digits: 2), byte(7) == UInt8(ascii: "-"),
            let day = number(at: 8, digits: 2), byte(10) == UInt8(ascii: "T") || byte(10) == UInt8(ascii: "t"),
            let hour = number(at: 11, digits: 2), byte(13) == UInt8(ascii: ":"),
            let minute = number(at: 14, digits: 2), byte(16) == UInt8(ascii: ":"),
            let second = number(at: 17, digits: 2)
        else { return nil }
        var index = 19
        var microsecond: Int64 = 0
        var isFiner = false
        if byte(index) == UInt8(ascii: ".") {
            index += 1
            let start = index
            while let digit = digit(index) {
                if index - start < fractionDigits {
                    microsecond = microsecond * 10 + digit
                } else if digit != 0 {
                    isFiner = true
                }
                index += 1
            }
            guard index > start else { return nil }
            for _ in min(index - start, fractionDigits)..<fractionDigits { microsecond *= 10 }
        }
        var offsetSeconds: Int64 = 0
        switch byte(index) {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard let hours = number(at: index + 1, digits: 2), byte(index + 3) == UInt8(ascii: ":"),
                let minutes = number(at: index + 4, digits: 2), hours <= 23, minutes <= 59
            else { return nil }
            offsetSeconds = (hours * 3600 + minutes * 60) * (byte(index) == UInt8(ascii: "-") ? -1 : 1)
            index += 6
        default:
            return nil
        }
        guard index == bytes.count, (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
            hour <= 23, minute <= 59, second <= 59
        else { return nil }
        let days = UTCDateTime.daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        let microseconds = seconds * 1_000_000 + microsecond + (isFiner && rounding == .up ? 1 : 0)
        // The same conversion as UTCDateTime's, so that the instant is stored and shown to the microsecond given.
        return Date(timeIntervalSince1970: Double(microseconds) / 1_000_000)
    }

    /// The days of `month` in `year` (proleptic Gregorian).
    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
