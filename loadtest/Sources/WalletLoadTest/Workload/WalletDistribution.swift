import Foundation

/// How the workload picks wallets, as `--distribution uniform|zipf:S|hot:K`.
///
/// Wallets are ranked by their index (0 first): `zipf:S` gives rank r a weight of 1/(r+1)^S, so low ranks are hot;
/// `hot:K` sends all the traffic to the first K wallets, uniformly.
public enum WalletDistribution: Equatable, Sendable, CustomStringConvertible {
    case uniform
    case zipf(exponent: Double)
    case hot(count: Int)

    /// The largest Zipf exponent accepted (beyond it nearly everything lands on wallet 0).
    public static let maximumZipfExponent = 10.0

    /// Parses `uniform`, `zipf:S` (0 < S ≤ 10) or `hot:K` (K ≥ 1).
    public init(parsing text: String) throws(UsageError) {
        if text == "uniform" {
            self = .uniform
            return
        }
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else {
            throw UsageError("--distribution: '\(text)' is not uniform, zipf:S or hot:K")
        }
        switch parts[0] {
        case "zipf":
            guard let exponent = Double(parts[1]), exponent > 0, exponent <= Self.maximumZipfExponent else {
                throw UsageError("--distribution: the Zipf exponent must be a number in (0, \(Self.maximumZipfExponent)], not '\(parts[1])'")
            }
            self = .zipf(exponent: exponent)
        case "hot":
            guard let count = Int(parts[1]), count >= 1 else {
                throw UsageError("--distribution: the number of hot wallets must be a positive integer, not '\(parts[1])'")
            }
            self = .hot(count: count)
        default:
            throw UsageError("--distribution: '\(text)' is not uniform, zipf:S or hot:K")
        }
    }

    /// How many wallets can be drawn out of `walletCount`.
    public func supportSize(walletCount: Int) -> Int {
        switch self {
        case .uniform, .zipf: walletCount
        case .hot(let count): count
        }
    }

    /// Checks that the distribution fits `walletCount` wallets and, when `needsPairs` (transfers, multi-leg transfers,
    /// reversals), yields two distinct wallets.
    public func validate(walletCount: Int, needsPairs: Bool) throws(UsageError) {
        if case .hot(let count) = self, count > walletCount {
            throw UsageError("--distribution hot:\(count) needs at least \(count) wallets; --wallets is \(walletCount)")
        }
        if needsPairs, supportSize(walletCount: walletCount) < 2 {
            throw UsageError(
                "a transfer needs two distinct wallets, but --distribution \(self) with --wallets \(walletCount) offers only one; "
                    + "use hot:2 or more, or remove transfer, multileg and reversal from --mix")
        }
    }

    public var description: String {
        switch self {
        case .uniform: "uniform"
        case .zipf(let exponent): "zipf:\(exponent)"
        case .hot(let count): "hot:\(count)"
        }
    }
}
