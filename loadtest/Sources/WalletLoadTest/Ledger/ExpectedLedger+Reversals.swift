/// The reversals' part of the verification: every acknowledged reversal moves its original's legs back (for a
/// single-leg original the amount asked, or for a whole one what was left; for a multi-leg one every leg whole),
/// the reversals of one original never take back more than it moved (a multi-leg one at most once), the originals
/// read back show them (`reversed_amount`, `reversal_ids`), and every refusal is one the acknowledged reversals
/// explain.
extension ExpectedLedger {
    /// The refusals a reversal may get without anything being wrong: the reverser's wallet lacked the money, or
    /// the original's source would pass the balance limit.
    static let allowedReversalRefusals: Set<String> = ["insufficient_funds", "balance_limit_exceeded"]
    /// The refusal of a reversal asking for more than is left.
    static let exceedsReversibleCode = "amount_exceeds_reversible"

    /// What the reversals' checks found.
    struct ReversalCheck {
        var failures: [VerificationFailure] = []
        /// What the acknowledged reversals added to the money in wallets: back in from the external account
        /// (reversed withdrawals and captures out of the ledger), or out to it (reversed deposits).
        var moneyDelta: Int64 = 0
        /// Reversals acknowledged.
        var reversals = 0
        /// Reversed originals read back.
        var originalsReadBack = 0
    }

    /// An acknowledged reversal of an original.
    private struct Reversal {
        let key: String
        let transactionID: String
        /// What it moved back per leg: the amount for a single-leg original, the original's amount for a multi-leg one.
        let amount: Int64
        let whole: Bool
    }

    func checkReversals(readings: LedgerReadings) -> ReversalCheck {
        var check = ReversalCheck()
        var originals: [String: Acknowledgement] = [:]
        var reversals: [String: [Reversal]] = [:]
        var refusals: [(key: String, movement: PlannedMovement, answer: String)] = []
        let keys = outcomes.keys.sorted()
        for key in keys {
            guard let movement = movements[key], movement.kind.isReversible, case .acknowledged(let transaction) = outcomes[key] else { continue }
            originals[transaction.transactionID] = originals[transaction.transactionID] ?? transaction
        }
        for key in keys {
            guard let movement = movements[key], let target = movement.reversal else { continue }
            switch outcomes[key]! {
            case .acknowledged(let reversal):
                check.reversals += 1
                guard let original = originals[target.transactionID] else {
                    let detail = "this run acknowledged no such transaction"
                    check.failures.append(.reversalDisagreesWithOriginal(key: key, transactionID: target.transactionID, detail: detail))
                    continue
                }
                let back = movement.reversesWhole && !target.isMultiLeg ? -(reversal.entries.first?.amount ?? 0) : movement.amount
                if !(1...target.amount).contains(back) {
                    check.failures.append(
                        .reversalDisagreesWithOriginal(
                            key: key, transactionID: target.transactionID, detail: "it moved back \(back), the original \(target.amount)"))
                }
                let expected = Self.legsBack(of: original, amount: target.isMultiLeg ? nil : back)
                if reversal.legs != expected {
                    check.failures.append(
                        .reversalDisagreesWithOriginal(
                            key: key, transactionID: target.transactionID,
                            detail: "expected legs \(Self.describe(expected)), got \(Self.describe(reversal.legs)) in \(reversal.transactionID)"))
                }
                if !target.isMultiLeg, let external = original.entries.first(where: { $0.walletID == nil }) {
                    check.moneyDelta += external.amount < 0 ? -back : back
                }
                reversals[target.transactionID, default: []].append(
                    Reversal(key: key, transactionID: reversal.transactionID, amount: back, whole: movement.reversesWhole))
            case .refused(let code):
                refusals.append((key, movement, code))
            case .rejected(let status, let code):
                refusals.append((key, movement, "\(status) \(code)"))
            case .held(let hold):
                let detail = "a reversal moves no hold"
                check.failures.append(
                    .reversalRefusalUnexplained(key: key, code: "hold \(hold.id)", transactionID: target.transactionID, detail: detail))
            }
        }

        // Per original: within its amount, as read back.
        for (transactionID, taken) in reversals.sorted(by: { $0.key < $1.key }) {
            let target = movements[taken[0].key]!.reversal!
            let total = taken.reduce(Int64(0)) { $0 + $1.amount }
            func exceeded(_ detail: String) {
                check.failures.append(.reversalsExceedOriginal(transactionID: transactionID, keys: taken.map(\.key), detail: detail))
            }
            if target.isMultiLeg, taken.count > 1 {
                exceeded("a multi-leg transaction reversed \(taken.count) times; it is reversed whole, once")
            } else if total > target.amount {
                exceeded("reversals took back \(total) of \(target.amount)")
            } else if taken.contains(where: \.whole), total != target.amount {
                exceeded("a whole reversal was acknowledged, but the reversals took back \(total) of \(target.amount)")
            }
            guard let reading = readings.reversedOriginals[transactionID] else {
                check.failures.append(
                    .transactionUnreadable(transactionID: transactionID, reason: readings.unreadableTransactions[transactionID] ?? "not read"))
                continue
            }
            check.originalsReadBack += 1
            var differences: [String] = []
            if reading.reversedAmount != total {
                differences.append("reversed_amount \(reading.reversedAmount), acknowledged reversals took back \(total)")
            }
            let acknowledgedIDs = Set(taken.map(\.transactionID))
            if Set(reading.reversalIDs) != acknowledgedIDs || reading.reversalIDs.count != acknowledgedIDs.count {
                let read = reading.reversalIDs.joined(separator: ", ")
                differences.append("reversal_ids [\(read)], acknowledged [\(acknowledgedIDs.sorted().joined(separator: ", "))]")
            }
            if !differences.isEmpty {
                check.failures.append(.reversalReadBackMismatch(transactionID: transactionID, detail: differences.joined(separator: "; ")))
            }
        }

        // Refusals: only what the acknowledged reversals explain.
        for refusal in refusals {
            let target = refusal.movement.reversal!
            guard !Self.allowedReversalRefusals.contains(refusal.answer) else { continue }
            let taken = reversals[target.transactionID] ?? []
            let total = taken.reduce(Int64(0)) { $0 + $1.amount }
            let detail: String?
            if refusal.answer == Self.exceedsReversibleCode {
                let asked = refusal.movement.reversesWhole ? 1 : refusal.movement.amount
                if target.isMultiLeg {
                    detail = taken.isEmpty ? "no reversal of this multi-leg transaction was acknowledged" : nil
                } else {
                    detail = total + asked > target.amount ? nil : "acknowledged reversals took back \(total) of \(target.amount); \(asked) more fits"
                }
            } else {
                detail = "the workload asks for nothing this answer applies to"
            }
            if let detail {
                check.failures.append(
                    .reversalRefusalUnexplained(key: refusal.key, code: refusal.answer, transactionID: target.transactionID, detail: detail))
            }
        }
        return check
    }

    /// The legs of a reversal of `original`: each leg's credit taken back out of its account and put back into its
    /// debit's, leg by leg in order; by `amount` (a single-leg original), or by each leg's amount when nil.
    static func legsBack(of original: Acknowledgement, amount: Int64?) -> [Acknowledgement.Leg] {
        let legs = original.legs
        return stride(from: 0, to: legs.count - 1, by: 2).flatMap { index in
            let back = amount ?? legs[index + 1].amount
            return [
                Acknowledgement.Leg(account: legs[index + 1].account, amount: -back), Acknowledgement.Leg(account: legs[index].account, amount: back),
            ]
        }
    }
}
