import CMariaDB
import Foundation

/// Conversions between `Date` and MariaDB's `DATETIME` fields, always in UTC with microseconds.
///
/// The calendar arithmetic is done by hand (days from the civil date, proleptic Gregorian) because
/// `Calendar` is slow on the hot path of every row.
enum MariaDBDateTime {
    static let microsecondsPerSecond: Int64 = 1_000_000
    static let secondsPerDay: Int64 = 86_400

    /// A `MYSQL_TIME` holding `date` in UTC, truncated to the microsecond.
    static func mysqlTime(from date: Date) -> MYSQL_TIME {
        let totalMicroseconds = Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down))
        var seconds = totalMicroseconds / microsecondsPerSecond
        var micros = totalMicroseconds % microsecondsPerSecond
        if micros < 0 {
            micros += microsecondsPerSecond
            seconds -= 1
        }
        var days = seconds / secondsPerDay
        var secondOfDay = seconds % secondsPerDay
        if secondOfDay < 0 {
            secondOfDay += secondsPerDay
            days -= 1
        }
        let (year, month, day) = civil(fromDays: days)
        var time = MYSQL_TIME()
        time.year = UInt32(clamping: year)
        time.month = UInt32(month)
        time.day = UInt32(day)
        time.hour = UInt32(secondOfDay / 3600)
        time.minute = UInt32(secondOfDay % 3600 / 60)
        time.second = UInt32(secondOfDay % 60)
        time.second_part = UInt(micros)
        time.neg = 0
        time.time_type = MYSQL_TIMESTAMP_DATETIME
        return time
    }

    /// The UTC instant that a `MYSQL_TIME` names.
    static func date(from time: MYSQL_TIME) -> Date {
        let days = daysFromCivil(year: Int64(time.year), month: Int64(time.month), day: Int64(time.day))
        let seconds = days * secondsPerDay + Int64(time.hour) * 3600 + Int64(time.minute) * 60 + Int64(time.second)
        let micros = seconds * microsecondsPerSecond + Int64(time.second_part)
        return Date(timeIntervalSince1970: Double(micros) / 1_000_000)
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

    /// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a count of days since 1970-01-01.
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
