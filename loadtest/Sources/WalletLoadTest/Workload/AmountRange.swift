/// The amounts the workload moves, drawn uniformly from `--amount MIN-MAX` (minor units).
public struct AmountRange: Equatable, Sendable, CustomStringConvertible {
    /// The largest amount the service accepts: 2^53−1.
    public static let maximumMinorUnits: Int64 = (1 << 53) - 1
    /// The default range: 1 to 100 minor units.
    public static let `default` = AmountRange(minorUnits: 1...100)

    /// The inclusive range of minor units.
    public let minorUnits: ClosedRange<Int64>

    init(minorUnits: ClosedRange<Int64>) {
        self.minorUnits = minorUnits
    }

    /// Parses `MIN-MAX` (or a single `N`), with 1 ≤ MIN ≤ MAX ≤ 2^53−1.
    public init(parsing text: String) throws(UsageError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let low = Int64(parts[0]), let high = Int64(parts[parts.count - 1]) else {
            throw UsageError("--amount: '\(text)' is not MIN-MAX (for example 1-100)")
        }
        guard low >= 1, low <= high, high <= Self.maximumMinorUnits else {
            throw UsageError("--amount: need 1 <= MIN <= MAX <= \(Self.maximumMinorUnits), got \(low)-\(high)")
        }
        self.init(minorUnits: low...high)
    }

    /// An amount drawn uniformly from the range.
    public func sample(using generator: inout some RandomNumberGenerator) -> Int64 {
        Int64.random(in: minorUnits, using: &generator)
    }

    public var description: String { "\(minorUnits.lowerBound)-\(minorUnits.upperBound)" }
}
