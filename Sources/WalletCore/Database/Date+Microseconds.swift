import Foundation
import MariaDB

extension Date {
    /// This instant at the precision of every `DATETIME(6)` column, the nearest microsecond: exactly the `Date` that
    /// a column returns after storing it, so what a write returns equals what later reads return.
    var atMicrosecondPrecision: Date { UTCDateTime(self).date }
}
