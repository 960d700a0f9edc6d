/// A positive amount of money in minor units of some currency (cents for `USD`, yen for `JPY`).
///
/// Valid amounts are 1 ‥ 2^53−1: the largest integer that every JSON reader holds exactly. Balances share the upper
/// limit (``Wallet/maximumBalance``), so the sum of a balance and an amount always fits in an `Int64`.
public struct Amount: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The smallest amount: one minor unit.
    public static let minimumMinorUnits: Int64 = 1
    /// The largest amount, 2^53−1 (9,007,199,254,740,991) minor units.
    public static let maximumMinorUnits: Int64 = (1 << 53) - 1
    /// Every valid amount, in minor units.
    public static let validMinorUnits: ClosedRange<Int64> = minimumMinorUnits...maximumMinorUnits

    /// The amount in minor units, within ``validMinorUnits``.
    public let minorUnits: Int64

    /// The amount of `minorUnits`, or nil when it is outside ``validMinorUnits``.
    public init?(minorUnits: Int64) {
        guard Self.validMinorUnits.contains(minorUnits) else { return nil }
        self.minorUnits = minorUnits
    }

    public var description: String { String(minorUnits) }

    public static func < (lhs: Amount, rhs: Amount) -> Bool { lhs.minorUnits < rhs.minorUnits }
}
