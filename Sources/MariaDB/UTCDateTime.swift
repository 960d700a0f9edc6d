public import Foundation

/// An instant as a UTC calendar date and time of day with microseconds: the precision of a `DATETIME(6)` column.
///
/// The one conversion between `Date` and calendar fields in the project (MariaDB values, RFC 3339 text). A `Date`
/// is rounded to the nearest microsecond, so converting the `date` of a value again gives the same value: what a
/// write stores equals what it returns, whatever the floating-point error of `Date`. The calendar arithmetic is
/// done by hand (days from the civil date, proleptic Gregorian; Howard Hinnant's algorithms) because `Calendar` is
/// slow on the hot path of every row.
public struct UTCDateTime: Hashable, Sendable {
    static let microsecondsPerSecond: Int64 = 1_000_000
    static let secondsPerDay: Int64 = 86_400

    public let year: Int64
    /// 1 to 12.
    public let month: Int64
    /// 1 to 31.
    public let day: Int64
    public let hour: Int64
    public let minute: Int64
    public let second: Int64
    /// 0 to 999,999.
    public let microsecond: Int64

    /// `date` in UTC, rounded to the nearest microsecond.
    public init(_ date: Date) {
        self.init(microsecondsSince1970: Int64((date.timeIntervalSince1970 * Double(Self.microsecondsPerSecond)).rounded()))
    }

    /// The fields as given; they are not checked.
    init(year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64, microsecond: Int64) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.microsecond = microsecond
    }

    private init(microsecondsSince1970 total: Int64) {
        var seconds = total / Self.microsecondsPerSecond
        var micros = total % Self.microsecondsPerSecond
        if micros < 0 {
            micros += Self.microsecondsPerSecond
            seconds -= 1
        }
        var days = seconds / Self.secondsPerDay
        var secondOfDay = seconds % Self.secondsPerDay
        if secondOfDay < 0 {
            secondOfDay += Self.secondsPerDay
            days -= 1
        }
        let (year, month, day) = Self.civil(fromDays: days)
        self.init(
            year: year, month: month, day: day,
            hour: secondOfDay / 3600, minute: secondOfDay % 3600 / 60, second: secondOfDay % 60, microsecond: micros
        )
    }

    /// The instant.
    public var date: Date {
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        let seconds = days * Self.secondsPerDay + hour * 3600 + minute * 60 + second
        return Date(timeIntervalSince1970: Double(seconds * Self.microsecondsPerSecond + microsecond) / Double(Self.microsecondsPerSecond))
    }

    /// Days since 1970-01-01 of a civil date.
    public static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
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
