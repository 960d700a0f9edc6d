/// Multi-leg transfers: ``maximumLegs`` legs at most, every source a wallet of one owner (the sender, the owner of
/// the first source), amounts of the ``AmountRange``.
///
/// - A share (``chainedShare``) is *chained*: the first leg goes to another wallet of the sender, and the second
///   leg leaves from there, so it spends money that arrives in the same transaction (A→B, then B→C).
/// - A share (``singleRecipientShare``) sends every leg to wallets of one owner (the sender's own for a chained
///   one), so that it can be reversed: only the owner of every wallet the money went to may reverse it. The others
///   go to any other wallets of the distribution.
/// - A share (``detailsShare``) carries a `reference` and `metadata`.
extension WorkloadPlanner {
    /// The fewest legs of one multi-leg transfer: two, or it would be a transfer.
    public static let minimumLegs = 2
    /// The most legs of one multi-leg transfer (the service takes up to 64; a few are enough to load the path and
    /// keep each transaction's lock set small).
    public static let maximumLegs = 4
    /// The share of multi-leg transfers whose second leg leaves from the first leg's destination.
    public static let chainedShare = 0.3
    /// The share of multi-leg transfers whose destinations all belong to one owner.
    public static let singleRecipientShare = 0.5
    /// The share of multi-leg transfers sent with a `reference` and `metadata`.
    public static let detailsShare = 0.3

    func multiLeg(key: String, duplicate: PlannedMovement.DuplicateTiming?, using generator: inout some RandomNumberGenerator) -> PlannedMovement {
        let legCount = Int.random(in: Self.minimumLegs...Self.maximumLegs, using: &generator)
        let first = sampler.wallet(using: &generator)
        let sender = owner(of: first)
        var chainStop: Int?
        if Double.random(in: 0..<1, using: &generator) < Self.chainedShare {
            chainStop = wallet(ownedBy: sender, otherThan: first, using: &generator)
        }
        var recipient: Int?
        if Double.random(in: 0..<1, using: &generator) < Self.singleRecipientShare {
            recipient = chainStop == nil ? owner(of: sampler.wallet(otherThan: first, using: &generator)) : sender
        }
        var legs: [PlannedLeg] = []
        for index in 0..<legCount {
            let source: Int
            switch index {
            case 0: source = first
            case 1 where chainStop != nil: source = chainStop!
            default: source = wallet(ownedBy: sender, otherThan: nil, using: &generator)!
            }
            var destination = index == 0 ? chainStop : nil
            if destination == nil, let recipient { destination = wallet(ownedBy: recipient, otherThan: source, using: &generator) }
            legs.append(
                PlannedLeg(
                    source: source, destination: destination ?? sampler.wallet(otherThan: source, using: &generator),
                    amount: amounts.sample(using: &generator)))
        }
        var details = PlannedDetails.none
        if Double.random(in: 0..<1, using: &generator) < Self.detailsShare {
            details = PlannedDetails(reference: "lt-ref-\(key)", metadata: ["load_test": "multileg", "legs": String(legCount)])
        }
        return PlannedMovement(
            key: key, kind: .multileg, wallet: first, destination: nil, amount: legs.reduce(0) { $0 + $1.amount }, duplicate: duplicate,
            legs: legs, details: details)
    }

    /// The user index owning wallet index `wallet`.
    func owner(of wallet: Int) -> Int { wallet % userCount }

    /// A wallet of the distribution's support owned by user `owner`, other than `excluded`, uniformly; nil when
    /// there is none.
    func wallet(ownedBy owner: Int, otherThan excluded: Int?, using generator: inout some RandomNumberGenerator) -> Int? {
        let owned = owner < sampler.supportSize ? (sampler.supportSize - owner + userCount - 1) / userCount : 0
        let excludedRank = excluded.flatMap { self.owner(of: $0) == owner && $0 < sampler.supportSize ? $0 / userCount : nil }
        let choices = owned - (excludedRank == nil ? 0 : 1)
        guard choices > 0 else { return nil }
        var rank = Int.random(in: 0..<choices, using: &generator)
        if let excludedRank, rank >= excludedRank { rank += 1 }
        return owner + rank * userCount
    }
}
