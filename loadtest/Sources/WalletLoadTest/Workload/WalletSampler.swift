import Foundation

/// Draws wallet indexes (0‥<wallet count) according to a ``WalletDistribution``. Immutable after construction, so one
/// sampler is shared by every worker.
public struct WalletSampler: Sendable {
    /// How often a transfer's destination is redrawn when it equals the source, before a uniform pick among the other
    /// wallets of the distribution's support settles it.
    static let maximumDestinationDraws = 16

    /// How many wallets can be drawn: the first `supportSize` indexes.
    public let supportSize: Int
    /// For Zipf: the cumulative weights of the ranks, the last one 1; empty for the uniform draws.
    private let cumulativeWeights: [Double]

    /// A sampler of `distribution` over `walletCount` wallets.
    ///
    /// - Precondition: the distribution was validated for `walletCount`.
    public init(distribution: WalletDistribution, walletCount: Int) {
        let supportSize = distribution.supportSize(walletCount: walletCount)
        precondition(supportSize >= 1 && supportSize <= walletCount, "the distribution fits the wallets")
        self.supportSize = supportSize
        guard case .zipf(let exponent) = distribution else {
            self.cumulativeWeights = []
            return
        }
        var cumulative: [Double] = []
        cumulative.reserveCapacity(supportSize)
        var total = 0.0
        for rank in 1...supportSize {
            total += 1.0 / pow(Double(rank), exponent)
            cumulative.append(total)
        }
        self.cumulativeWeights = cumulative.map { $0 / total }
    }

    /// One wallet index.
    public func wallet(using generator: inout some RandomNumberGenerator) -> Int {
        guard !cumulativeWeights.isEmpty else { return Int.random(in: 0..<supportSize, using: &generator) }
        let draw = Double.random(in: 0..<1, using: &generator)
        // The first rank whose cumulative weight exceeds the draw.
        var low = 0
        var high = cumulativeWeights.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulativeWeights[middle] > draw { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// A wallet index of the distribution other than `excluded` (a capture's destination, distinct from the hold's
    /// wallet): redrawn up to ``maximumDestinationDraws`` times, then a uniform pick among the other wallets of the
    /// support. `excluded` need not be in the support.
    ///
    /// - Precondition: ``supportSize`` is at least 2.
    public func wallet(otherThan excluded: Int, using generator: inout some RandomNumberGenerator) -> Int {
        precondition(supportSize >= 2, "another wallet needs two wallets")
        for _ in 0..<Self.maximumDestinationDraws {
            let destination = wallet(using: &generator)
            if destination != excluded { return destination }
        }
        guard excluded < supportSize else { return Int.random(in: 0..<supportSize, using: &generator) }
        let other = Int.random(in: 0..<(supportSize - 1), using: &generator)
        return other >= excluded ? other + 1 : other
    }

    /// Two distinct wallet indexes, each of the distribution: a transfer's source and destination.
    ///
    /// - Precondition: ``supportSize`` is at least 2.
    public func distinctPair(using generator: inout some RandomNumberGenerator) -> (source: Int, destination: Int) {
        precondition(supportSize >= 2, "a pair needs two wallets")
        let source = wallet(using: &generator)
        for _ in 0..<Self.maximumDestinationDraws {
            let destination = wallet(using: &generator)
            if destination != source { return (source, destination) }
        }
        let other = Int.random(in: 0..<(supportSize - 1), using: &generator)
        return (source, other >= source ? other + 1 : other)
    }
}
