import Foundation
import WalletCore

/// How operator commands write values and read durations.
enum OperatorText {
    /// A UTC timestamp to the second, such as `2026-12-01T23:05:00Z`.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// The seconds in a duration such as `90d`, `12h`, `30m` or `45s` (a whole number and one unit), or nil.
    static func seconds(of duration: String) -> Int64? {
        guard let unit = duration.last, let count = Int64(duration.dropLast()), count > 0 else { return nil }
        let multiplier: Int64? =
            switch unit {
            case "s": 1
            case "m": 60
            case "h": 3600
            case "d": 86_400
            default: nil
            }
        guard let multiplier else { return nil }
        let (seconds, overflow) = count.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : seconds
    }
}
