import CMariaDB
import Foundation

/// Conversions between `Date` and MariaDB's `DATETIME` fields, always in UTC with microseconds (see ``UTCDateTime``).
enum MariaDBDateTime {
    /// A `MYSQL_TIME` holding `date` in UTC, to the nearest microsecond.
    static func mysqlTime(from date: Date) -> MYSQL_TIME {
        let fields = UTCDateTime(date)
        var time = MYSQL_TIME()
        time.year = UInt32(clamping: fields.year)
        time.month = UInt32(fields.month)
        time.day = UInt32(fields.day)
        time.hour = UInt32(fields.hour)
        time.minute = UInt32(fields.minute)
        time.second = UInt32(fields.second)
        time.second_part = UInt(fields.microsecond)
        time.neg = 0
        time.time_type = MYSQL_TIMESTAMP_DATETIME
        return time
    }

    /// The UTC instant that a `MYSQL_TIME` names.
    static func date(from time: MYSQL_TIME) -> Date {
        UTCDateTime(
            year: Int64(time.year), month: Int64(time.month), day: Int64(time.day),
            hour: Int64(time.hour), minute: Int64(time.minute), second: Int64(time.second), microsecond: Int64(time.second_part)
        ).date
    }

    /// Parses `YYYY-MM-DD[ HH:MM:SS[.ffffff]]` as UTC.
    static func parse(_ text: String) -> Date? {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "T" })
        guard let datePart = parts.first else { return nil }
        let ymd = datePart.split(separator: "-").compactMap { Int64($0) }
        guard ymd.count == 3 else { return nil }
        var time = MYSQL_TIME()
        time.year = UInt32(clamping: ymd[0])
        time.month = UInt32(clamping: ymd[1])
        time.day = UInt32(clamping: ymd[2])
        if parts.count > 1 {
            let clock = parts[1].split(separator: ":")
            guard clock.count == 3, let h = UInt32(clock[0]), let m = UInt32(clock[1]) else { return nil }
            let secondParts = clock[2].split(separator: ".", maxSplits: 1)
            guard let s = UInt32(secondParts[0]) else { return nil }
            time.hour = h
            time.minute = m
            time.second = s
            if secondParts.count == 2 {
                let digits = String(secondParts[1].prefix(6)).padding(toLength: 6, withPad: "0", startingAt: 0)
                guard let fraction = UInt(digits) else { return nil }
                time.second_part = fraction
            }
        }
        return date(from: time)
    }
}
