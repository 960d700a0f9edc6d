/// The ledger the answers promise: built from every definite answer of the run, then compared with the ledger the
/// service shows. Pure: no I/O, so it is tested on its own.
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

    /// Compares the promised ledger with `observed` (every wallet of ``walletIDs``, by id); `unreadable` says why a
    /// wallet missing from `observed` could not be read. `resolvedKeys` is only reported.
    public func verify(observed: [String: ObservedWallet], unreadable: [String: String] = [:], resolvedKeys: Int = 0) -> VerificationResult {
        var result = VerificationResult()
        var failures = contradictions
        result.resolvedKeys = resolvedKeys
        for key in lastUncertainAnswers.keys.sorted() {
            failures.append(.unresolved(key: key, lastAnswer: lastUncertainAnswers[key]!.statusLabel))
        }

        // What each acknowledged key promises.
        var expectedBalances: [String: Int64] = [:]
        var expectedTransactions: [String: Set<String>] = [:]
        var kindByTransaction: [String: MovementKind] = [:]
        var keysByTransaction: [String: [String]] = [:]
        var expectedTotal: Int64 = 0
        for key in outcomes.keys.sorted() {
            switch outcomes[key]! {
            case .refused: result.refusedKeys += 1
            case .rejected: result.rejectedKeys += 1
            case .acknowledged(let acknowledgement):
                result.acknowledgedKeys += 1
                let movement = movements[key]!
                failures += check(acknowledgement, against: movement)
                keysByTransaction[acknowledgement.transactionID, default: []].append(key)
                kindByTransaction[acknowledgement.transactionID] = movement.kind
                for entry in acknowledgement.entries {
                    expectedBalances[entry.walletID, default: 0] += entry.amount
                    expectedTransactions[entry.walletID, default: []].insert(acknowledgement.transactionID)
                }
                switch movement.kind {
                case .deposit: expectedTotal += movement.amount
                case .withdrawal: expectedTotal -= movement.amount
                case .transfer: break
                }
            }
        }
        for (transactionID, keys) in keysByTransaction.sorted(by: { $0.key < $1.key }) where keys.count > 1 {
            failures.append(.transactionSharedByKeys(transactionID: transactionID, keys: keys))
        }

        // What the service shows, wallet by wallet.
        var entriesByTransaction: [String: Int] = [:]
        var observedTotal: Int64 = 0
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
                if count > 1 { failures.append(.repeatedEntries(walletID: walletID, transactionID: transactionID, count: count)) }
            }
            let seen = Set(counts.keys)
            let promised = expectedTransactions[walletID] ?? []
            let missing = promised.subtracting(seen).sorted()
            let extra = seen.subtracting(promised).sorted()
            if !missing.isEmpty { failures.append(.missingTransactions(walletID: walletID, transactionIDs: missing)) }
            if !extra.isEmpty { failures.append(.extraTransactions(walletID: walletID, transactionIDs: extra)) }
        }
        for (transactionID, kind) in kindByTransaction.sorted(by: { $0.key < $1.key }) {
            let actual = entriesByTransaction[transactionID] ?? 0
            if actual != kind.entryCount, actual > 0 {
                failures.append(.entryCountMismatch(transactionID: transactionID, kind: kind, expected: kind.entryCount, actual: actual))
            }
        }
        if observedTotal != expectedTotal {
            failures.append(.moneyNotConserved(expected: expectedTotal, actual: observedTotal))
        }
        result.totalMoney = observedTotal
        result.failures = failures.map(\.description)
        return result
    }

    /// The failures of an acknowledgement whose entries are not the ones `movement` asks for.
    func check(_ acknowledgement: Acknowledgement, against movement: PlannedMovement) -> [VerificationFailure] {
        var promised: [String: Int64] = [:]
        switch movement.kind {
        case .deposit: promised[walletIDs[movement.wallet]] = movement.amount
        case .withdrawal: promised[walletIDs[movement.wallet]] = -movement.amount
        case .transfer:
            promised[walletIDs[movement.wallet]] = -movement.amount
            promised[walletIDs[movement.destination!]] = movement.amount
        }
        var failures: [VerificationFailure] = []
        let actual = Dictionary(acknowledgement.entries.map { ($0.walletID, $0.amount) }, uniquingKeysWith: +)
        if actual != promised || acknowledgement.entries.count != movement.kind.entryCount {
            let detail = "expected \(Self.describe(promised)), got \(Self.describe(actual)) in transaction \(acknowledgement.transactionID)"
            failures.append(.entriesDisagreeWithRequest(key: movement.key, detail: detail))
        }
        for entry in acknowledgement.entries where entry.balanceAfter < 0 {
            failures.append(.negativeBalance(walletID: entry.walletID, balance: entry.balanceAfter))
        }
        return failures
    }

    private static func describe(_ amounts: [String: Int64]) -> String {
        amounts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value > 0 ? "+" : "")\($0.value)" }.joined(separator: ", ")
    }
}
