import Foundation

/// The weights of the movements in the workload, as `--mix deposit=20,withdrawal=10,transfer=70`, with holds
/// `--mix deposit=20,withdrawal=10,transfer=40,hold=15,capture=10,void=5`, with multi-leg transfers and reversals
/// `--mix deposit=20,transfer=40,multileg=20,reversal=20`.
public struct WorkloadMix: Equatable, Sendable, CustomStringConvertible {
    /// The default mix: mostly transfers, the movement that touches two wallets.
    public static let `default` = WorkloadMix(weights: [.deposit: 20, .withdrawal: 10, .transfer: 70])
    /// The largest weight accepted, so that the total cannot overflow.
    public static let maximumWeight = 1_000_000

    /// The weight of each kind; kinds not named weigh 0.
    public let weights: [MovementKind: Int]
    /// The sum of the weights; always positive.
    public let totalWeight: Int

    init(weights: [MovementKind: Int]) {
        self.weights = weights
        self.totalWeight = weights.values.reduce(0, +)
        precondition(totalWeight > 0, "a mix has at least one positive weight")
    }

    /// Parses `kind=weight,…` with kinds `deposit`, `withdrawal`, `transfer`, `hold`, `capture`, `void`, `multileg`,
    /// `reversal`, each at most once, weights 0 or more and at least one positive.
    public init(parsing text: String) throws(UsageError) {
        var weights: [MovementKind: Int] = [:]
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        for part in parts {
            let pair = part.split(separator: "=", omittingEmptySubsequences: false)
            guard pair.count == 2 else {
                throw UsageError("--mix: '\(part)' is not kind=weight (for example deposit=20,withdrawal=10,transfer=70)")
            }
            let name = pair[0].trimmingCharacters(in: .whitespaces)
            guard let kind = MovementKind(rawValue: name) else {
                throw UsageError("--mix: unknown movement '\(name)'; use deposit, withdrawal, transfer, hold, capture, void, multileg or reversal")
            }
            guard weights[kind] == nil else { throw UsageError("--mix: '\(name)' appears twice") }
            guard let weight = Int(pair[1].trimmingCharacters(in: .whitespaces)), (0...Self.maximumWeight).contains(weight) else {
                throw UsageError("--mix: the weight of '\(name)' must be an integer from 0 to \(Self.maximumWeight), not '\(pair[1])'")
            }
            weights[kind] = weight
        }
        guard weights.values.contains(where: { $0 > 0 }) else { throw UsageError("--mix: at least one weight must be positive") }
        self.init(weights: weights.filter { $0.value > 0 })
    }

    /// Whether the mix sends `kind` at all.
    public func includes(_ kind: MovementKind) -> Bool { (weights[kind] ?? 0) > 0 }

    /// Whether the mix sends any of a hold's movements.
    public var includesHolds: Bool { weights.keys.contains(where: \.isHoldKind) }

    /// Whether the mix sends movements between two distinct wallets: transfers, multi-leg transfers, or reversals
    /// (which fall back to transfers while nothing is there to reverse).
    public var needsPairs: Bool { includes(.transfer) || includes(.multileg) || includes(.reversal) }

    /// True when the mix only moves money at once (deposits, withdrawals, transfers): what the raw baseline runs.
    public var onlyMoves: Bool { weights.filter { $0.value > 0 }.keys.allSatisfy { [.deposit, .withdrawal, .transfer].contains($0) } }

    /// The kind whose weight band holds `draw`, a number in `0..<totalWeight`.
    public func kind(forDraw draw: Int) -> MovementKind {
        precondition((0..<totalWeight).contains(draw), "a draw lies in 0..<totalWeight")
        var remaining = draw
        for kind in MovementKind.allCases {
            let weight = weights[kind] ?? 0
            if remaining < weight { return kind }
            remaining -= weight
        }
        preconditionFailure("the weights add up to totalWeight")
    }

    /// A kind drawn with probability proportional to its weight.
    public func sample(using generator: inout some RandomNumberGenerator) -> MovementKind {
        kind(forDraw: Int.random(in: 0..<totalWeight, using: &generator))
    }

    public var description: String {
        MovementKind.allCases.compactMap { kind in weights[kind].map { "\(kind.rawValue)=\($0)" } }.joined(separator: ",")
    }
}
