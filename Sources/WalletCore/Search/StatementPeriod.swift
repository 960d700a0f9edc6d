public import Foundation

/// The period of a statement: from `from` (inclusive) to `to` (exclusive), at most ``maximumLength`` long.
public struct StatementPeriod: Hashable, Sendable {
    /// The longest period: 92 days, a quarter, so that one statement stays a bounded read.
    public static let maximumLength: TimeInterval = 92 * 86_400

    /// Why a period is refused.
    public enum Violation: Error, Hashable, Sendable {
        /// `to` is not after `from`.
        case empty
        /// `to` is more than ``StatementPeriod/maximumLength`` after `from`.
        case tooLong
    }

    /// The first instant of the period.
    public let from: Date
    /// The first instant after the period.
    public let to: Date

    /// The period from `from` to `to`, both clamped into ``LedgerTime``.
    public init(from: Date, to: Date) throws(Violation) {
        let from = LedgerTime.clamped(from)
        let to = LedgerTime.clamped(to)
        guard from < to else { throw .empty }
        guard to.timeIntervalSince(from) <= Self.maximumLength else { throw .tooLong }
        self.from = from
        self.to = to
    }
}
