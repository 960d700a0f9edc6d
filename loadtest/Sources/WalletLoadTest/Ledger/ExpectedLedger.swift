/// The ledger the answers promise: built from every definite answer of the run, then compared with the ledger the
/// service shows (wallets, their histories, held and available amounts, the holds, the captures' transactions and
/// the reversed transactions read back). Pure: no I/O, so it is tested on its own. The reversals' checks are in
/// `ExpectedLedger+Reversals.swift`.
///
/// Each key's first definite answer is its outcome; any later answer for the same key (a retry or a duplicate) must be
/// the same, or ``VerificationFailure/keyAnsweredDifferently(key:first:second:)`` is recorded.
public struct ExpectedLedger: Sendable {
    /// The ids of the run's wallets, by workload index.
    public let walletIDs: [String]
    /// Every movement sent, by key.
    public private(set) var movements: [String: PlannedMovement] = [:]
    /// The definite outcome of each key that has one.
    public private(set) var outcomes: [String: KeyOutcome] = [:]
    /// The last uncertain answer of each key without a definite one.
    public private(set) var lastUncertainAnswers: [String: MovementAnswer] = [:]
    /// Answers that contradicted an earlier answer for the same key.
    public private(set) var contradictions: [VerificationFailure] = []

    public init(walletIDs: [String]) {
        self.walletIDs = walletIDs
    }

    /// Records `answer` to `movement`.
    public mutating func record(_ movement: PlannedMovement, answer: MovementAnswer) {
        movements[movement.key] = movement
        guard let outcome = KeyOutcome(answer) else {
            if outcomes[movement.key] == nil { lastUncertainAnswers[movement.key] = answer }
            return
        }
        lastUncertainAnswers[movement.key] = nil
        guard let first = outcomes[movement.key] else {
            outcomes[movement.key] = outcome
            return
        }
        if first != outcome {
            contradictions.append(.keyAnsweredDifferently(key: movement.key, first: first.description, second: outcome.description))
        }
    }

    /// The movements whose keys have no definite answer yet, in key order.
    public var unresolvedMovements: [PlannedMovement] {
        lastUncertainAnswers.keys.sorted().compactMap { movements[$0] }
    }

    /// Whether the run sent any of a hold's movements: then every wallet must show `held` and `available`, and the
    /// holds are read back.
    public var includesHolds: Bool { movements.values.contains { $0.kind.isHoldKind } }

    /// Every hold placed and acknowledged, by key order: its key, its wallet index and the hold as answered.
    public var acknowledgedHolds: [(key: String, wallet: Int, hold: HoldState)] {
        outcomes.keys.sorted().compactMap { key in
            guard let movement = movements[key], movement.kind == .hold, case .held(let hold) = outcomes[key] else { return nil }
            return (key, movement.wallet, hold)
        }
    }

    /// Every capture acknowledged, by key order: its key, its hold's wallet index and its transaction as answered.
    public var acknowledgedCaptures: [(key: String, wallet: Int, transaction: Acknowledgement)] {
        outcomes.keys.sorted().compactMap { key in
            guard let movement = movements[key], movement.kind == .capture, case .acknowledged(let transaction) = outcomes[key] else {
                return nil
            }
            return (key, movement.wallet, transaction)
        }
    }

    /// Every transaction with an acknowledged reversal, by id: the wallet index of its reverser, who can read it.
    public var reversedOriginals: [(transactionID: String, wallet: Int)] {
        var seen: Set<String> = []
        return outcomes.keys.sorted().compactMap { key in
            guard let target = movements[key]?.reversal, case .acknowledged = outcomes[key], seen.insert(target.transactionID).inserted else {
                return nil
            }
            return (target.transactionID, target.reverser)
        }
    }

    /// An acknowledged capture or void of a hold.
    private struct Resolution {
        let key: String
        let movement: PlannedMovement
        let outcome: KeyOutcome
    }

    /// Compares the promised ledger with `observed` (every wallet of ``walletIDs``, by id); `unreadable` says why a
    /// wallet missing from `observed` could not be read; `readings` holds the holds, capture transactions and
    /// reversed transactions read back. `resolvedKeys` is only reported.
    public func verify(
        observed: [String: ObservedWallet], unreadable: [String: String] = [:], resolvedKeys: Int = 0, readings: LedgerReadings = LedgerReadings()
    ) -> VerificationResult {
        var result = VerificationResult()
        var failures = contradictions
        result.resolvedKeys = resolvedKeys
        for key in lastUncertainAnswers.keys.sorted() {
            failures.append(.unresolved(key: key, lastAnswer: lastUncertainAnswers[key]!.statusLabel))
        }

        // What each definite key promises.
        var expectedBalances: [String: Int64] = [:]
        var expectedTransactions: [String: Set<String>] = [:]
        /// By wallet id, then transaction id: how many of the transaction's legs are on the wallet (2 for a wallet a
        /// chained multi-leg transfer passes through).
        var expectedEntryCounts: [String: [String: Int]] = [:]
        var walletEntriesByTransaction: [String: (kind: MovementKind, count: Int)] = [:]
        var keysByTransaction: [String: [String]] = [:]
        var expectedTotal: Int64 = 0
        var placedHolds: [String: (key: String, hold: HoldState)] = [:]
        var keysByHold: [String: [String]] = [:]
        var resolutions: [String: [Resolution]] = [:]
        var holdRefusals: [String: [(key: String, code: String)]] = [:]
        var captures: [(key: String, movement: PlannedMovement, transaction: Acknowledgement)] = []
        for key in outcomes.keys.sorted() {
            let movement = movements[key]!
            let outcome = outcomes[key]!
            switch outcome {
            case .refused(let code):
                result.refusedKeys += 1
                if let hold = movement.hold { holdRefusals[hold.holdID, default: []].append((key, code)) }
            case .rejected(let status, let code):
                result.rejectedKeys += 1
                if let hold = movement.hold {
                    failures.append(.holdMovementRejected(key: key, holdID: hold.holdID, answer: "\(status) \(code)"))
                }
            case .acknowledged(let acknowledgement):
                result.acknowledgedKeys += 1
                failures += check(acknowledgement, against: movement)
                keysByTransaction[acknowledgement.transactionID, default: []].append(key)
                walletEntriesByTransaction[acknowledgement.transactionID] = (movement.kind, movement.walletEntryCount)
                if acknowledgement.legSum != 0 {
                    failures.append(.legsDoNotSumToZero(transactionID: acknowledgement.transactionID, sum: acknowledgement.legSum))
                }
                for entry in acknowledgement.entries {
                    guard let walletID = entry.walletID else { continue }
                    expectedBalances[walletID, default: 0] += entry.amount
                    expectedTransactions[walletID, default: []].insert(acknowledgement.transactionID)
                }
                for (walletID, count) in acknowledgement.entryCountsByWallet {
                    expectedEntryCounts[walletID, default: [:]][acknowledgement.transactionID] = count
                }
                switch movement.kind {
                case .deposit: expectedTotal += movement.amount
                case .withdrawal: expectedTotal -= movement.amount
                case .capture where movement.destination == nil: expectedTotal -= movement.amount
                case .transfer, .capture, .hold, .void, .multileg, .reversal: break
                }
                if movement.kind == .capture {
                    captures.append((key, movement, acknowledgement))
                    resolutions[movement.hold!.holdID, default: []].append(Resolution(key: key, movement: movement, outcome: outcome))
                }
            case .held(let hold):
                result.acknowledgedKeys += 1
                failures += check(hold, against: movement)
                switch movement.kind {
                case .hold:
                    keysByHold[hold.id, default: []].append(key)
                    if placedHolds[hold.id] == nil { placedHolds[hold.id] = (key, hold) }
                case .void:
                    resolutions[movement.hold!.holdID, default: []].append(Resolution(key: key, movement: movement, outcome: outcome))
                case .deposit, .withdrawal, .transfer, .capture, .multileg, .reversal:
                    break
                }
            }
        }
        for (transactionID, keys) in keysByTransaction.sorted(by: { $0.key < $1.key }) where keys.count > 1 {
            failures.append(.transactionSharedByKeys(transactionID: transactionID, keys: keys))
        }
        for (holdID, keys) in keysByHold.sorted(by: { $0.key < $1.key }) where keys.count > 1 {
            failures.append(.holdSharedByKeys(holdID: holdID, keys: keys))
        }

        // The holds read back, against the answers.
        let holdCheck = checkHolds(placed: placedHolds, resolutions: resolutions, refusals: holdRefusals, readings: readings)
        failures += holdCheck.failures
        result.holds = holdCheck.statusCounts

        // The reversals, against their originals and the originals read back.
        let reversalCheck = checkReversals(readings: readings)
        failures += reversalCheck.failures
        expectedTotal += reversalCheck.moneyDelta
        result.reversals = reversalCheck.reversals
        result.reversedOriginalsReadBack = reversalCheck.originalsReadBack

        // The captures' transactions read back.
        for capture in captures {
            let id = capture.transaction.transactionID
            guard let readBack = readings.transactions[id] else {
                failures.append(.transactionUnreadable(transactionID: id, reason: readings.unreadableTransactions[id] ?? "not read"))
                continue
            }
            result.capturesReadBack += 1
            var differences: [String] = []
            if readBack.amountsByAccount != capture.transaction.amountsByAccount || readBack.entries.count != capture.transaction.entries.count {
                differences.append("legs \(Self.describe(readBack.amountsByAccount)), acknowledged \(Self.describe(capture.transaction.amountsByAccount))")
            }
            if readBack.holdID != capture.movement.hold!.holdID {
                differences.append("hold_id \(readBack.holdID ?? "null"), captured \(capture.movement.hold!.holdID)")
            }
            if readBack.legSum != 0 { differences.append("legs sum to \(readBack.legSum)") }
            if !differences.isEmpty {
                failures.append(.transactionReadBackMismatch(transactionID: id, detail: differences.joined(separator: "; ")))
            }
        }

        // What the service shows, wallet by wallet.
        var entriesByTransaction: [String: Int] = [:]
        var observedTotal: Int64 = 0
        let holdsReadBack = includesHolds || !placedHolds.isEmpty
        for walletID in walletIDs {
            guard let wallet = observed[walletID] else {
                failures.append(.unreadable(walletID: walletID, reason: unreadable[walletID] ?? "not read"))
                continue
            }
            result.wallets += 1
            result.entriesRead += wallet.transactionIDs.count
            observedTotal += wallet.balance
            let expected = expectedBalances[walletID] ?? 0
            if wallet.balance != expected {
                failures.append(.balanceMismatch(walletID: walletID, expected: expected, actual: wallet.balance))
            }
            if wallet.balance < 0 { failures.append(.negativeBalance(walletID: walletID, balance: wallet.balance)) }
            var counts: [String: Int] = [:]
            for transactionID in wallet.transactionIDs { counts[transactionID, default: 0] += 1 }
            for (transactionID, count) in counts.sorted(by: { $0.key < $1.key }) {
                entriesByTransaction[transactionID, default: 0] += count
                if count > expectedEntryCounts[walletID]?[transactionID] ?? 1 {
                    failures.append(.repeatedEntries(walletID: walletID, transactionID: transactionID, count: count))
                }
            }
            let seen = Set(counts.keys)
            let promised = expectedTransactions[walletID] ?? []
            let missing = promised.subtracting(seen).sorted()
            let extra = seen.subtracting(promised).sorted()
            if !missing.isEmpty { failures.append(.missingTransactions(walletID: walletID, transactionIDs: missing)) }
            if !extra.isEmpty { failures.append(.extraTransactions(walletID: walletID, transactionIDs: extra)) }

            // Held and available: `held` is the sum of the wallet's active holds as read back (a hold that expired
            // while the reads ran may or may not count), `available = balance − held ≥ 0`.
            let active = holdCheck.activeByWallet[walletID] ?? HoldSet()
            let inBetween = holdCheck.expiredDuringReadsByWallet[walletID] ?? HoldSet()
            result.totalHeld += wallet.held ?? 0
            if let held = wallet.held {
                if held < active.sum || held > active.sum + inBetween.sum {
                    let expected = inBetween.sum == 0 ? "\(active.sum)" : "\(active.sum) to \(active.sum + inBetween.sum)"
                    failures.append(.heldMismatch(walletID: walletID, expected: expected, actual: held))
                }
                if wallet.available != wallet.balance - held || wallet.balance - held < 0 {
                    failures.append(.availableMismatch(walletID: walletID, balance: wallet.balance, held: held, available: wallet.available))
                }
            } else if holdsReadBack {
                failures.append(.heldMismatch(walletID: walletID, expected: "\(active.sum)", actual: nil))
            }
            if let listed = wallet.activeHoldIDs {
                let listedSet = Set(listed)
                let missingActive = active.ids.subtracting(listedSet).sorted()
                let extraActive = listedSet.subtracting(active.ids).subtracting(inBetween.ids).sorted()
                if !missingActive.isEmpty || !extraActive.isEmpty {
                    failures.append(.activeHoldsDisagree(walletID: walletID, missing: missingActive, extra: extraActive))
                }
            }
        }
        for (transactionID, promise) in walletEntriesByTransaction.sorted(by: { $0.key < $1.key }) {
            let actual = entriesByTransaction[transactionID] ?? 0
            if actual != promise.count, actual > 0 {
                failures.append(.entryCountMismatch(transactionID: transactionID, kind: promise.kind, expected: promise.count, actual: actual))
            }
        }
        if observedTotal != expectedTotal {
            failures.append(.moneyNotConserved(expected: expectedTotal, actual: observedTotal))
        }
        result.totalMoney = observedTotal
        result.failures = failures.map(\.description)
        return result
    }

    /// Hold ids and the sum of their amounts.
    struct HoldSet {
        var ids: Set<String> = []
        var sum: Int64 = 0

        mutating func insert(_ hold: HoldState) {
            if ids.insert(hold.id).inserted { sum += hold.amount }
        }
    }

    /// What the holds read back say.
    struct HoldCheck {
        var failures: [VerificationFailure] = []
        /// Holds read back by status.
        var statusCounts: [String: Int] = [:]
        /// By wallet id: the holds read back active.
        var activeByWallet: [String: HoldSet] = [:]
        /// By wallet id: the holds read back expired whose time came while the reads ran (they may count in `held`).
        var expiredDuringReadsByWallet: [String: HoldSet] = [:]
    }

    /// Checks every acknowledged hold read back against the answers: where it is and what it holds, that at most one
    /// capture or void was acknowledged for it and the final state is that one (the capture's transaction and amount),
    /// that a hold nobody resolved is active before its `expires_at` and expired from it on, and that every
    /// `hold_captured` / `hold_voided` / `hold_expired` refusal agrees with the final state.
    private func checkHolds(
        placed: [String: (key: String, hold: HoldState)], resolutions: [String: [Resolution]], refusals: [String: [(key: String, code: String)]],
        readings: LedgerReadings
    ) -> HoldCheck {
        var check = HoldCheck()
        let beforeReads = readings.readStarted - readings.clockTolerance
        let afterReads = readings.readEnded + readings.clockTolerance
        for (holdID, placement) in placed.sorted(by: { $0.key < $1.key }) {
            guard let hold = readings.holds[holdID] else {
                check.failures.append(.holdUnreadable(holdID: holdID, reason: readings.unreadableHolds[holdID] ?? "not read"))
                continue
            }
            check.statusCounts[hold.status, default: 0] += 1
            func mismatch(_ detail: String) { check.failures.append(.holdStateMismatch(holdID: holdID, detail: detail)) }
            if hold.walletID != placement.hold.walletID || hold.amount != placement.hold.amount || hold.expiresAt != placement.hold.expiresAt {
                mismatch(
                    "read back on \(hold.walletID) for \(hold.amount) expiring \(hold.expiresAt), placed (key \(placement.key)) on "
                        + "\(placement.hold.walletID) for \(placement.hold.amount) expiring \(placement.hold.expiresAt)")
            }
            let expiresAt = hold.expiresAtMicroseconds
            if expiresAt == nil { mismatch("expires_at '\(hold.expiresAt)' is not an RFC 3339 timestamp") }
            let winners = resolutions[holdID] ?? []
            if winners.count > 1 { check.failures.append(.holdResolvedTwice(holdID: holdID, keys: winners.map(\.key))) }
            if let winner = winners.first {
                switch winner.outcome {
                case .acknowledged(let transaction):
                    if hold.status != "captured" || hold.transactionID != transaction.transactionID || hold.capturedAmount != winner.movement.amount {
                        mismatch(
                            "read back \(hold.status), transaction \(hold.transactionID ?? "null"), captured_amount \(hold.capturedAmount); "
                                + "key \(winner.key) was acknowledged capturing \(winner.movement.amount) in \(transaction.transactionID)")
                    }
                default:
                    if hold.status != "voided" || hold.transactionID != nil || hold.capturedAmount != 0 {
                        mismatch(
                            "read back \(hold.status), transaction \(hold.transactionID ?? "null"), captured_amount \(hold.capturedAmount); "
                                + "key \(winner.key) was acknowledged voiding it")
                    }
                }
                if let resolved = hold.resolvedAt.flatMap({ Timestamp.microseconds($0) }), let expiresAt, resolved >= expiresAt {
                    mismatch("\(hold.status) at \(hold.resolvedAt!), not before its expires_at \(hold.expiresAt)")
                }
            } else {
                switch hold.status {
                case "active":
                    if let expiresAt, expiresAt <= beforeReads {
                        mismatch("read back active, but its expires_at \(hold.expiresAt) had passed before the reads began")
                    }
                    check.activeByWallet[hold.walletID, default: HoldSet()].insert(hold)
                case "expired":
                    if let expiresAt, expiresAt > afterReads {
                        mismatch("read back expired, but its expires_at \(hold.expiresAt) is after the reads ended")
                    } else if let expiresAt, expiresAt > beforeReads {
                        check.expiredDuringReadsByWallet[hold.walletID, default: HoldSet()].insert(hold)
                    }
                default:
                    mismatch("read back \(hold.status), but no capture or void of it was acknowledged")
                }
            }
            for refusal in refusals[holdID] ?? [] {
                let expected: String? =
                    switch refusal.code {
                    case "hold_captured": "captured"
                    case "hold_voided": "voided"
                    case "hold_expired": "expired"
                    default: nil
                    }
                if let expected {
                    if hold.status != expected {
                        check.failures.append(
                            .holdRefusalUnexplained(key: refusal.key, code: refusal.code, holdID: holdID, detail: "the hold reads back \(hold.status)"))
                    }
                } else if refusal.code != "balance_limit_exceeded" {
                    check.failures.append(
                        .holdRefusalUnexplained(
                            key: refusal.key, code: refusal.code, holdID: holdID, detail: "the workload asks for nothing this refusal applies to"))
                }
            }
        }
        return check
    }

    /// The failures of an acknowledgement whose legs are not the ones `movement` asks for.
    func check(_ acknowledgement: Acknowledgement, against movement: PlannedMovement) -> [VerificationFailure] {
        let external = Acknowledgement.externalAccountName
        let wallet = walletIDs[movement.wallet]
        var promised: [String: Int64] = [:]
        switch movement.kind {
        case .deposit:
            promised[external] = -movement.amount
            promised[wallet] = movement.amount
        case .withdrawal:
            promised[wallet] = -movement.amount
            promised[external] = movement.amount
        case .transfer:
            promised[wallet] = -movement.amount
            promised[walletIDs[movement.destination!]] = movement.amount
        case .capture:
            promised[wallet] = -movement.amount
            promised[movement.destination.map { walletIDs[$0] } ?? external] = movement.amount
        case .hold, .void, .multileg, .reversal:
            break
        }
        var failures: [VerificationFailure] = []
        let actual = acknowledgement.amountsByAccount
        let transaction = acknowledgement.transactionID
        switch movement.kind {
        case .hold, .void:
            failures.append(
                .entriesDisagreeWithRequest(key: movement.key, detail: "a \(movement.kind.rawValue) moves no money, but was answered with transaction \(transaction)"))
        case .multileg:
            // Leg by leg, in order: a debit of the source and a credit of the destination.
            let legs = movement.legs.flatMap { leg in
                [
                    Acknowledgement.Leg(account: walletIDs[leg.source], amount: -leg.amount),
                    Acknowledgement.Leg(account: walletIDs[leg.destination], amount: leg.amount),
                ]
            }
            if acknowledgement.legs != legs {
                let detail = "expected legs \(Self.describe(legs)), got \(Self.describe(acknowledgement.legs)) in transaction \(transaction)"
                failures.append(.entriesDisagreeWithRequest(key: movement.key, detail: detail))
            }
        case .reversal:
            break  // Against its original: checkReversals.
        case .deposit, .withdrawal, .transfer, .capture:
            if actual != promised || acknowledgement.entries.count != movement.kind.legCount {
                let detail =
                    "expected \(Self.describe(promised)), got \(Self.describe(actual)) in \(acknowledgement.entries.count) legs of transaction \(transaction)"
                failures.append(.entriesDisagreeWithRequest(key: movement.key, detail: detail))
            }
        }
        if acknowledgement.holdID != movement.hold?.holdID {
            let detail = "hold_id \(acknowledgement.holdID ?? "null") in transaction \(transaction), expected \(movement.hold?.holdID ?? "null")"
            failures.append(.entriesDisagreeWithRequest(key: movement.key, detail: detail))
        }
        for entry in acknowledgement.entries {
            if let walletID = entry.walletID, let balanceAfter = entry.balanceAfter, balanceAfter < 0 {
                failures.append(.negativeBalance(walletID: walletID, balance: balanceAfter))
            }
        }
        return failures
    }

    /// The failures of a hold answer (placed or voided) that does not match `movement`.
    func check(_ hold: HoldState, against movement: PlannedMovement) -> [VerificationFailure] {
        var differences: [String] = []
        let wallet = walletIDs[movement.wallet]
        switch movement.kind {
        case .hold:
            if hold.walletID != wallet || hold.amount != movement.amount {
                differences.append("hold \(hold.id) on \(hold.walletID) for \(hold.amount), asked on \(wallet) for \(movement.amount)")
            }
            if hold.status != "active" || hold.capturedAmount != 0 || hold.transactionID != nil || hold.resolvedAt != nil {
                differences.append("a new hold \(hold.status) with captured_amount \(hold.capturedAmount), transaction \(hold.transactionID ?? "null")")
            }
        case .void:
            let target = movement.hold!
            if hold.id != target.holdID || hold.walletID != wallet || hold.amount != target.amount {
                differences.append("hold \(hold.id) on \(hold.walletID) for \(hold.amount), voided \(target.holdID) on \(wallet) for \(target.amount)")
            }
            if hold.status != "voided" || hold.capturedAmount != 0 || hold.transactionID != nil {
                differences.append("a voided hold answered \(hold.status) with captured_amount \(hold.capturedAmount)")
            }
        case .deposit, .withdrawal, .transfer, .capture, .multileg, .reversal:
            differences.append("a \(movement.kind.rawValue) was answered with hold \(hold.id) instead of a transaction")
        }
        return differences.isEmpty ? [] : [.holdDisagreesWithRequest(key: movement.key, detail: differences.joined(separator: "; "))]
    }

    /// Amounts by account, in account order, as `account ±amount, …`.
    static func describe(_ amounts: [String: Int64]) -> String {
        describe(amounts.sorted { $0.key < $1.key }.map { Acknowledgement.Leg(account: $0.key, amount: $0.value) })
    }

    /// Legs in order, as `account ±amount, …`.
    static func describe(_ legs: [Acknowledgement.Leg]) -> String {
        legs.map { "\($0.account) \($0.amount > 0 ? "+" : "")\($0.amount)" }.joined(separator: ", ")
    }
}
