public import Foundation

/// The instants the ledger's `DATETIME(6)` columns hold: 1000-01-01T00:00:00Z to 9999-12-31T23:59:59Z (MariaDB's
/// range, to the whole second at the top so that no rounding of a `Date` passes it). Bounds of reads are clamped
/// into it: no entry lies outside, so a clamped bound finds what the bound asked for.
public enum LedgerTime {
    /// 1000-01-01T00:00:00Z.
    public static let earliest = Date(timeIntervalSince1970: -30_610_224_000)
    /// 9999-12-31T23:59:59Z.
    public static let latest = Date(timeIntervalSince1970: 253_402_300_799)

    /// `date`, or the nearest end of the range when it lies outside.
    public static func clamped(_ date: Date) -> Date {
        min(max(date, earliest), latest)
    }
}
