import Foundation

extension Date {
    /// Microseconds per second: the precision of every `DATETIME(6)` column.
    static let microsecondsPerSecond: Double = 1_000_000

    /// This instant truncated to the microsecond: exactly the `Date` that a `DATETIME(6)` column returns after
    /// storing it, so what a write returns equals what later reads return.
    var truncatedToMicroseconds: Date {
        Date(timeIntervalSince1970: (timeIntervalSince1970 * Self.microsecondsPerSecond).rounded(.down) / Self.microsecondsPerSecond)
    }
}
