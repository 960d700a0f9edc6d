import Testing
import WalletLoadTest

/// The expected-ledger model with multi-leg transfers and reversals: a matching ledger passes; legs that disagree,
/// reversals beyond their original, wrong read-backs and unexplained refusals are each named.
@Suite("Expected ledger: multi-leg transfers and reversals")
struct ReversalLedgerTests {
    static let walletA = "wal_A"  // index 0, user 0
    static let walletB = "wal_B"  // index 1, user 1
    static let walletC = "wal_C"  // index 2, user 0

    /// Three wallets funded with 100 each; a chained multi-leg transfer A→C 10, C→B 5; a multi-leg A→B 7, C→B 3
    /// reversed whole; a transfer A→B 20 reversed 5, then whole (15), then refused 1 more; C's funding reversed 40;
    /// a second reversal of the multi-leg one refused.
    struct Scenario {
        var ledger = ExpectedLedger(walletIDs: [walletA, walletB, walletC])
        var observed: [String: ObservedWallet] = [
            walletA: ObservedWallet(balance: 90, transactionIDs: ["txn_fa", "txn_m1", "txn_m2", "txn_rm", "txn_t", "txn_r1", "txn_r2"]),
            walletB: ObservedWallet(
                balance: 105, transactionIDs: ["txn_fb", "txn_m1", "txn_m2", "txn_m2", "txn_rm", "txn_rm", "txn_t", "txn_r1", "txn_r2"]),
            walletC: ObservedWallet(balance: 65, transactionIDs: ["txn_fc", "txn_m1", "txn_m1", "txn_m2", "txn_rm", "txn_rf"]),
        ]
        var readings = LedgerReadings()
        let multi = PlannedMovement(
            key: "k-m2", kind: .multileg, wallet: 0, destination: nil, amount: 10, duplicate: nil,
            legs: [PlannedLeg(source: 0, destination: 1, amount: 7), PlannedLeg(source: 2, destination: 1, amount: 3)])
        let multiTarget = ReversalTarget(transactionID: "txn_m2", reverser: 1, amount: 10, legCount: 2, walletEntryCount: 4)
        let transferTarget = ReversalTarget(transactionID: "txn_t", reverser: 1, amount: 20, legCount: 1, walletEntryCount: 2)
        let fundingTarget = ReversalTarget(transactionID: "txn_fc", reverser: 2, amount: 100, legCount: 1, walletEntryCount: 1)

        init() {
            for (index, id) in ["txn_fa", "txn_fb", "txn_fc"].enumerated() {
                let wallet = [walletA, walletB, walletC][index]
                ledger.record(
                    PlannedMovement(key: "k-f\(index)", kind: .deposit, wallet: index, destination: nil, amount: 100, duplicate: nil),
                    answer: Self.ack(id, [(nil, -100), (wallet, 100)]))
            }
            ledger.record(
                PlannedMovement(
                    key: "k-m1", kind: .multileg, wallet: 0, destination: nil, amount: 15, duplicate: nil,
                    legs: [PlannedLeg(source: 0, destination: 2, amount: 10), PlannedLeg(source: 2, destination: 1, amount: 5)],
                    details: PlannedDetails(reference: "lt-ref-k-m1", metadata: ["legs": "2"])),
                answer: Self.ack("txn_m1", [(walletA, -10), (walletC, 10), (walletC, -5), (walletB, 5)]))
            ledger.record(multi, answer: Self.ack("txn_m2", [(walletA, -7), (walletB, 7), (walletC, -3), (walletB, 3)]))
            ledger.record(reversal("k-rm", multiTarget), answer: Self.ack("txn_rm", [(walletB, -7), (walletA, 7), (walletB, -3), (walletC, 3)]))
            ledger.record(
                PlannedMovement(key: "k-t", kind: .transfer, wallet: 0, destination: 1, amount: 20, duplicate: nil),
                answer: Self.ack("txn_t", [(walletA, -20), (walletB, 20)]))
            ledger.record(reversal("k-r1", transferTarget, amount: 5), answer: Self.ack("txn_r1", [(walletB, -5), (walletA, 5)]))
            ledger.record(reversal("k-r2", transferTarget), answer: Self.ack("txn_r2", [(walletB, -15), (walletA, 15)]))
            ledger.record(reversal("k-r3", transferTarget, amount: 1), answer: .refused(code: "amount_exceeds_reversible", replayed: false))
            ledger.record(reversal("k-rf", fundingTarget, amount: 40), answer: Self.ack("txn_rf", [(walletC, -40), (nil, 40)]))
            ledger.record(reversal("k-rm2", multiTarget), answer: .refused(code: "amount_exceeds_reversible", replayed: false))
            ledger.record(reversal("k-rf2", fundingTarget, amount: 99), answer: .refused(code: "insufficient_funds", replayed: false))
            readings.reversedOriginals = [
                "txn_m2": TransactionReading(acknowledgement: Self.acknowledgement("txn_m2", []), reversedAmount: 10, reversalIDs: ["txn_rm"]),
                "txn_t": TransactionReading(acknowledgement: Self.acknowledgement("txn_t", []), reversedAmount: 20, reversalIDs: ["txn_r1", "txn_r2"]),
                "txn_fc": TransactionReading(acknowledgement: Self.acknowledgement("txn_fc", []), reversedAmount: 40, reversalIDs: ["txn_rf"]),
            ]
        }

        /// A reversal of `target`: whole without `amount`.
        func reversal(_ key: String, _ target: ReversalTarget, amount: Int64? = nil) -> PlannedMovement {
            PlannedMovement(
                key: key, kind: .reversal, wallet: target.reverser, destination: nil, amount: amount ?? target.amount, duplicate: nil,
                reversal: target, reversesWhole: amount == nil, reason: "load test reversal")
        }

        static func acknowledgement(_ id: String, _ entries: [(String?, Int64)]) -> Acknowledgement {
            Acknowledgement(transactionID: id, entries: entries.map { Acknowledgement.Entry(walletID: $0.0, amount: $0.1, balanceAfter: nil) })
        }

        static func ack(_ id: String, _ entries: [(String?, Int64)]) -> MovementAnswer {
            .acknowledged(acknowledgement(id, entries), replayed: false)
        }

        func verify() -> VerificationResult { ledger.verify(observed: observed, readings: readings) }
    }

    @Test func aMatchingLedgerPasses() {
        let result = Scenario().verify()
        #expect(result.passed, "\(result.failures)")
        #expect(result.reversals == 4 && result.reversedOriginalsReadBack == 3)
        #expect(result.refusedKeys == 3)
        #expect(result.totalMoney == 260, "funding 300, less the reversed deposit's 40")
        #expect(result.summary.contains("4 reversals of 3 transactions read back"), "\(result.summary)")
    }

    @Test func aMultiLegLegThatDisagreesIsNamed() {
        var scenario = Scenario()
        scenario.ledger.record(
            PlannedMovement(
                key: "k-m3", kind: .multileg, wallet: 0, destination: nil, amount: 3, duplicate: nil,
                legs: [PlannedLeg(source: 0, destination: 1, amount: 1), PlannedLeg(source: 0, destination: 2, amount: 2)]),
            answer: Scenario.ack("txn_m3", [(Self.walletA, -1), (Self.walletB, 1), (Self.walletA, -2), (Self.walletB, 2)]))
        let failures = scenario.verify().failures
        #expect(
            failures.contains(
                "key k-m3: the acknowledged entries do not match the request: expected legs wal_A -1, wal_B +1, wal_A -2, wal_C +2, "
                    + "got wal_A -1, wal_B +1, wal_A -2, wal_B +2 in transaction txn_m3"),
            "\(failures)")
    }

    @Test func aReversalWhoseLegsDisagreeIsNamed() {
        var scenario = Scenario()
        scenario.ledger.record(
            scenario.reversal("k-r4", scenario.fundingTarget, amount: 2), answer: Scenario.ack("txn_r4", [(Self.walletA, -2), (nil, 2)]))
        let failures = scenario.verify().failures
        #expect(
            failures.contains(
                "key k-r4: the reversal of txn_fc does not move its legs back: expected legs wal_C -2, external +2, got wal_A -2, external +2 in txn_r4"),
            "\(failures)")
    }

    @Test func reversalsBeyondTheOriginalAreNamed() {
        var scenario = Scenario()
        scenario.ledger.record(scenario.reversal("k-r4", scenario.transferTarget, amount: 3), answer: Scenario.ack("txn_r4", [(Self.walletB, -3), (Self.walletA, 3)]))
        scenario.ledger.record(
            scenario.reversal("k-rm3", scenario.multiTarget),
            answer: Scenario.ack("txn_rm3", [(Self.walletB, -7), (Self.walletA, 7), (Self.walletB, -3), (Self.walletC, 3)]))
        let failures = scenario.verify().failures
        #expect(failures.contains("transaction txn_t: reversals took back 23 of 20 (reversals acknowledged for k-r1, k-r2, k-r4)"), "\(failures)")
        #expect(
            failures.contains(
                "transaction txn_m2: a multi-leg transaction reversed 2 times; it is reversed whole, once (reversals acknowledged for k-rm, k-rm3)"),
            "\(failures)")
    }

    @Test func aWholeReversalThatLeftSomethingIsNamed() {
        var scenario = Scenario()
        var ledger = ExpectedLedger(walletIDs: [Self.walletA, Self.walletB, Self.walletC])
        for key in scenario.ledger.outcomes.keys.sorted() where key != "k-r1" && key != "k-r3" {
            if case .acknowledged(let transaction) = scenario.ledger.outcomes[key]! {
                ledger.record(scenario.ledger.movements[key]!, answer: .acknowledged(transaction, replayed: false))
            }
        }
        scenario.ledger = ledger
        let failures = scenario.verify().failures
        #expect(
            failures.contains("transaction txn_t: a whole reversal was acknowledged, but the reversals took back 15 of 20 (reversals acknowledged for k-r2)"),
            "\(failures)")
    }

    @Test func aWrongReversedAmountOrReversalIDsAreNamed() {
        var scenario = Scenario()
        scenario.readings.reversedOriginals["txn_t"] = TransactionReading(
            acknowledgement: Scenario.acknowledgement("txn_t", []), reversedAmount: 19, reversalIDs: ["txn_r1", "txn_other"])
        scenario.readings.reversedOriginals["txn_fc"] = nil
        scenario.readings.unreadableTransactions["txn_fc"] = "GET answered 404"
        let failures = scenario.verify().failures
        #expect(
            failures.contains(
                "transaction txn_t: read back differs from its acknowledged reversals: reversed_amount 19, acknowledged reversals took back 20; "
                    + "reversal_ids [txn_r1, txn_other], acknowledged [txn_r1, txn_r2]"),
            "\(failures)")
        #expect(failures.contains("transaction txn_fc: could not be read back: GET answered 404"), "\(failures)")
    }

    @Test func unexplainedRefusalsAreNamed() {
        var scenario = Scenario()
        scenario.ledger.record(scenario.reversal("k-r5", scenario.fundingTarget, amount: 10), answer: .refused(code: "amount_exceeds_reversible", replayed: false))
        scenario.ledger.record(scenario.reversal("k-r6", scenario.transferTarget, amount: 1), answer: .rejected(status: 403, code: "reversal_forbidden"))
        scenario.ledger.record(scenario.reversal("k-r7", scenario.fundingTarget), answer: .refused(code: "not_reversible", replayed: false))
        let failures = scenario.verify().failures
        #expect(
            failures.contains(
                "key k-r5: reversal of txn_fc answered amount_exceeds_reversible: acknowledged reversals took back 40 of 100; 10 more fits"),
            "\(failures)")
        #expect(
            failures.contains("key k-r6: reversal of txn_t answered 403 reversal_forbidden: the workload asks for nothing this answer applies to"),
            "\(failures)")
        #expect(failures.contains { $0.hasPrefix("key k-r7: reversal of txn_fc answered not_reversible") }, "\(failures)")
        #expect(failures.count == 3, "\(failures)")
    }

    @Test func aSecondMultiLegReversalWithoutAFirstIsUnexplained() {
        var scenario = Scenario()
        var ledger = ExpectedLedger(walletIDs: [Self.walletA, Self.walletB, Self.walletC])
        ledger.record(scenario.multi, answer: Scenario.ack("txn_m2", [(Self.walletA, -7), (Self.walletB, 7), (Self.walletC, -3), (Self.walletB, 3)]))
        ledger.record(scenario.reversal("k-rm2", scenario.multiTarget), answer: .refused(code: "amount_exceeds_reversible", replayed: false))
        scenario.ledger = ledger
        let failures = scenario.verify().failures
        #expect(
            failures.contains(
                "key k-rm2: reversal of txn_m2 answered amount_exceeds_reversible: no reversal of this multi-leg transaction was acknowledged"),
            "\(failures)")
    }

    @Test func aChainedWalletListedThreeTimesIsRepeated() {
        var scenario = Scenario()
        scenario.observed[Self.walletC] = ObservedWallet(
            balance: 65, transactionIDs: ["txn_fc", "txn_m1", "txn_m1", "txn_m1", "txn_m2", "txn_rm", "txn_rf"])
        let failures = scenario.verify().failures
        #expect(failures.contains("wallet wal_C: transaction txn_m1 appears 3 times in its history"), "\(failures)")
    }
}
