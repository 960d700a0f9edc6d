import Testing
import WalletLoadTest

/// The expected-ledger model with holds: captures (part of a hold to another wallet, a whole hold out of the
/// ledger), a void, an expiry, contested resolutions refused, and every way the service's holds, `held` and
/// `available` can disagree with the answers.
@Suite("Expected ledger with holds")
struct HoldLedgerTests {
    static let walletA = "wal_A"
    static let walletB = "wal_B"
    /// A long expiry (7 days), a short one that passed before the reads, and the reads' window.
    static let long = "2026-12-09T03:00:00.000000Z"
    static let short = "2026-12-02T03:00:02.000000Z"
    static let readStarted = Timestamp.microseconds("2026-12-02T03:00:10.000000Z")!
    static let readEnded = Timestamp.microseconds("2026-12-02T03:00:11.000000Z")!

    /// A and B funded with 100 each. On A: h1 (40) captured in part (25) to B; h2 (10) voided, and a contested
    /// capture of it refused `hold_voided`; h4 (7) left active. On B: h3 (5, short) expired, and a capture of it
    /// refused `hold_expired`; h5 (20) captured whole out of the ledger. A ends at 75 with 7 held, B at 105.
    struct Scenario {
        var ledger = ExpectedLedger(walletIDs: [walletA, walletB])
        var observed: [String: ObservedWallet] = [
            walletA: ObservedWallet(balance: 75, transactionIDs: ["txn_c1", "txn_fund_a"], held: 7, available: 68, activeHoldIDs: ["hld_4"]),
            walletB: ObservedWallet(balance: 105, transactionIDs: ["txn_c5", "txn_c1", "txn_fund_b"], held: 0, available: 105, activeHoldIDs: []),
        ]
        var readings = LedgerReadings()

        static let h1 = HoldTarget(holdID: "hld_1", wallet: 0, amount: 40)
        static let h2 = HoldTarget(holdID: "hld_2", wallet: 0, amount: 10)
        static let h3 = HoldTarget(holdID: "hld_3", wallet: 1, amount: 5)
        static let h4 = HoldTarget(holdID: "hld_4", wallet: 0, amount: 7)
        static let h5 = HoldTarget(holdID: "hld_5", wallet: 1, amount: 20)
        static let captureOne = PlannedMovement(
            key: "k-c1", kind: .capture, wallet: 0, destination: 1, amount: 25, duplicate: nil, hold: h1)
        static let captureFive = PlannedMovement(
            key: "k-c5", kind: .capture, wallet: 1, destination: nil, amount: 20, duplicate: nil, hold: h5, capturesWholeHold: true)
        static let captureOneTransaction = Acknowledgement(
            transactionID: "txn_c1", entries: [.init(walletID: walletA, amount: -25, balanceAfter: 75), .init(walletID: walletB, amount: 25, balanceAfter: nil)],
            holdID: "hld_1")
        static let captureFiveTransaction = Acknowledgement(
            transactionID: "txn_c5", entries: [.init(walletID: walletB, amount: -20, balanceAfter: 105), .external(20)], holdID: "hld_5")

        init() {
            fund("k-fund-a", wallet: 0, transaction: "txn_fund_a")
            fund("k-fund-b", wallet: 1, transaction: "txn_fund_b")
            place("k-h1", Self.h1)
            ledger.record(Self.captureOne, answer: .acknowledged(Self.captureOneTransaction, replayed: false))
            place("k-h2", Self.h2)
            let void = PlannedMovement(key: "k-v2", kind: .void, wallet: 0, destination: nil, amount: 10, duplicate: nil, hold: Self.h2)
            ledger.record(void, answer: .holdAcknowledged(Self.hold(Self.h2, "voided", resolved: "2026-12-02T03:00:01.000000Z"), replayed: false))
            ledger.record(
                PlannedMovement(key: "k-c2", kind: .capture, wallet: 0, destination: nil, amount: 10, duplicate: nil, hold: Self.h2, capturesWholeHold: true),
                answer: .refused(code: "hold_voided", replayed: false))
            place("k-h3", Self.h3, expires: HoldLedgerTests.short, seconds: 2)
            ledger.record(
                PlannedMovement(key: "k-c3", kind: .capture, wallet: 1, destination: 0, amount: 3, duplicate: nil, hold: Self.h3),
                answer: .refused(code: "hold_expired", replayed: false))
            place("k-h4", Self.h4)
            place("k-h5", Self.h5)
            ledger.record(Self.captureFive, answer: .acknowledged(Self.captureFiveTransaction, replayed: false))

            readings.holds = [
                "hld_1": Self.hold(Self.h1, "captured", captured: 25, transaction: "txn_c1", resolved: "2026-12-02T03:00:00.500000Z"),
                "hld_2": Self.hold(Self.h2, "voided", resolved: "2026-12-02T03:00:01.000000Z"),
                "hld_3": Self.hold(Self.h3, "expired", expires: HoldLedgerTests.short, resolved: HoldLedgerTests.short),
                "hld_4": Self.hold(Self.h4, "active"),
                "hld_5": Self.hold(Self.h5, "captured", captured: 20, transaction: "txn_c5", resolved: "2026-12-02T03:00:03.000000Z"),
            ]
            readings.transactions = ["txn_c1": Self.captureOneTransaction, "txn_c5": Self.captureFiveTransaction]
            readings.readStarted = HoldLedgerTests.readStarted
            readings.readEnded = HoldLedgerTests.readEnded
        }

        mutating func fund(_ key: String, wallet: Int, transaction: String) {
            let id = [walletA, walletB][wallet]
            ledger.record(
                PlannedMovement(key: key, kind: .deposit, wallet: wallet, destination: nil, amount: 100, duplicate: nil),
                answer: .acknowledged(Acknowledgement(transactionID: transaction, entries: [.external(-100), .init(walletID: id, amount: 100, balanceAfter: 100)]), replayed: false))
        }

        mutating func place(_ key: String, _ target: HoldTarget, expires: String = HoldLedgerTests.long, seconds: Int? = nil) {
            ledger.record(
                PlannedMovement(key: key, kind: .hold, wallet: target.wallet, destination: nil, amount: target.amount, duplicate: nil, expiresInSeconds: seconds),
                answer: .holdAcknowledged(Self.hold(target, "active", expires: expires), replayed: false))
        }

        static func hold(
            _ target: HoldTarget, _ status: String, captured: Int64 = 0, transaction: String? = nil, expires: String = HoldLedgerTests.long,
            resolved: String? = nil, wallet: String? = nil, amount: Int64? = nil
        ) -> HoldState {
            HoldState(
                id: target.holdID, walletID: wallet ?? [walletA, walletB][target.wallet], amount: amount ?? target.amount, status: status,
                capturedAmount: captured, transactionID: transaction, expiresAt: expires, resolvedAt: resolved)
        }

        func verify() -> VerificationResult { ledger.verify(observed: observed, readings: readings) }
        var failures: [String] { verify().failures }
    }

    @Test func aConsistentLedgerWithHoldsPasses() {
        let result = Scenario().verify()
        #expect(result.passed, "\(result.failures)")
        #expect(result.acknowledgedKeys == 10)
        #expect(result.refusedKeys == 2)
        #expect(result.holds == ["active": 1, "captured": 2, "voided": 1, "expired": 1])
        #expect(result.totalHeld == 7)
        #expect(result.capturesReadBack == 2)
        #expect(result.totalMoney == 180, "a capture out of the ledger takes its money out of the total")
        #expect(result.summary.contains("holds {active 1, captured 2, expired 1, voided 1}, total held 7, 2 capture transactions read back"))
    }

    @Test func aReplayedHoldAnswerIsFineAndAnotherHoldForTheKeyIsNot() {
        var scenario = Scenario()
        let placement = PlannedMovement(key: "k-h4", kind: .hold, wallet: 0, destination: nil, amount: 7, duplicate: nil)
        scenario.ledger.record(placement, answer: .holdAcknowledged(Scenario.hold(Scenario.h4, "active"), replayed: true))
        #expect(scenario.verify().passed)
        scenario.ledger.record(placement, answer: .holdAcknowledged(Scenario.hold(HoldTarget(holdID: "hld_9", wallet: 0, amount: 7), "active"), replayed: true))
        #expect(scenario.failures.contains("duplicate key k-h4: answered with hold hld_4 active and with hold hld_9 active"), "\(scenario.failures)")
    }

    @Test func aHoldCapturedTwiceIsNamed() {
        var scenario = Scenario()
        let second = PlannedMovement(key: "k-c1b", kind: .capture, wallet: 0, destination: nil, amount: 5, duplicate: nil, hold: Scenario.h1)
        scenario.ledger.record(
            second,
            answer: .acknowledged(
                Acknowledgement(transactionID: "txn_c1b", entries: [.init(walletID: Self.walletA, amount: -5, balanceAfter: 70), .external(5)], holdID: "hld_1"),
                replayed: false))
        #expect(scenario.failures.contains("hold hld_1: 2 captures or voids acknowledged, at most one may be: k-c1, k-c1b"), "\(scenario.failures)")
    }

    @Test func aHoldCapturedAndVoidedIsNamed() {
        var scenario = Scenario()
        let void = PlannedMovement(key: "k-v1", kind: .void, wallet: 0, destination: nil, amount: 40, duplicate: nil, hold: Scenario.h1)
        scenario.ledger.record(void, answer: .holdAcknowledged(Scenario.hold(Scenario.h1, "voided", resolved: "2026-12-02T03:00:00.600000Z"), replayed: false))
        #expect(scenario.failures.contains("hold hld_1: 2 captures or voids acknowledged, at most one may be: k-c1, k-v1"), "\(scenario.failures)")
    }

    @Test func twoKeysWithOneHoldAreNamed() {
        var scenario = Scenario()
        scenario.place("k-h4-again", Scenario.h4)
        #expect(scenario.failures.contains("hold hld_4 acknowledged for 2 different keys: k-h4, k-h4-again"), "\(scenario.failures)")
    }

    @Test func aHoldAnswerThatDoesNotMatchItsRequestIsNamed() {
        var scenario = Scenario()
        scenario.ledger.record(
            PlannedMovement(key: "k-h6", kind: .hold, wallet: 0, destination: nil, amount: 3, duplicate: nil),
            answer: .holdAcknowledged(Scenario.hold(HoldTarget(holdID: "hld_6", wallet: 1, amount: 3), "active"), replayed: false))
        #expect(
            scenario.failures.contains("key k-h6: the hold in the answer does not match the request: hold hld_6 on wal_B for 3, asked on wal_A for 3"),
            "\(scenario.failures)")
        var voided = Scenario()
        voided.ledger.record(
            PlannedMovement(key: "k-v4", kind: .void, wallet: 0, destination: nil, amount: 7, duplicate: nil, hold: Scenario.h4),
            answer: .holdAcknowledged(Scenario.hold(Scenario.h4, "active"), replayed: false))
        #expect(voided.failures.contains { $0.hasPrefix("key k-v4: the hold in the answer does not match the request: a voided hold answered active") })
    }

    @Test func aCapturedHoldThatReadsBackActiveOrWithAnotherAmountIsNamed() {
        var scenario = Scenario()
        scenario.readings.holds["hld_1"] = Scenario.hold(Scenario.h1, "active")
        #expect(
            scenario.failures.contains(
                "hold hld_1: read back active, transaction null, captured_amount 0; key k-c1 was acknowledged capturing 25 in txn_c1"),
            "\(scenario.failures)")
        scenario.readings.holds["hld_1"] = Scenario.hold(Scenario.h1, "captured", captured: 40, transaction: "txn_c1", resolved: "2026-12-02T03:00:00.500000Z")
        #expect(scenario.failures.contains { $0.hasPrefix("hold hld_1: read back captured, transaction txn_c1, captured_amount 40;") })
    }

    @Test func aVoidedHoldThatReadsBackOtherwiseIsNamed() {
        var scenario = Scenario()
        scenario.readings.holds["hld_2"] = Scenario.hold(Scenario.h2, "expired")
        #expect(scenario.failures.contains { $0.hasPrefix("hold hld_2: read back expired") && $0.hasSuffix("key k-v2 was acknowledged voiding it") })
    }

    @Test func aHoldResolvedAtOrAfterItsExpiryIsNamed() {
        var scenario = Scenario()
        scenario.readings.holds["hld_5"] = Scenario.hold(Scenario.h5, "captured", captured: 20, transaction: "txn_c5", resolved: "2026-12-09T03:00:00.000000Z")
        #expect(
            scenario.failures.contains("hold hld_5: captured at 2026-12-09T03:00:00.000000Z, not before its expires_at 2026-12-09T03:00:00.000000Z"),
            "\(scenario.failures)")
    }

    @Test func aHoldPastItsExpiryThatReadsBackActiveIsNamed() {
        var scenario = Scenario()
        scenario.readings.holds["hld_3"] = Scenario.hold(Scenario.h3, "active", expires: Self.short)
        scenario.observed[Self.walletB] = ObservedWallet(
            balance: 105, transactionIDs: ["txn_c5", "txn_c1", "txn_fund_b"], held: 5, available: 100, activeHoldIDs: ["hld_3"])
        #expect(
            scenario.failures.contains { $0.hasPrefix("hold hld_3: read back active, but its expires_at 2026-12-02T03:00:02.000000Z had passed") },
            "\(scenario.failures)")
        #expect(scenario.failures.contains { $0.hasPrefix("key k-c3: refusal hold_expired for hold hld_3: the hold reads back active") })
    }

    @Test func aHoldThatExpiresEarlyIsNamed() {
        var scenario = Scenario()
        scenario.readings.holds["hld_4"] = Scenario.hold(Scenario.h4, "expired", resolved: Self.long)
        scenario.observed[Self.walletA] = ObservedWallet(balance: 75, transactionIDs: ["txn_c1", "txn_fund_a"], held: 0, available: 75, activeHoldIDs: [])
        #expect(scenario.failures == ["hold hld_4: read back expired, but its expires_at 2026-12-09T03:00:00.000000Z is after the reads ended"])
    }

    @Test func aHoldExpiringWhileTheReadsRunMayOrMayNotCountInHeld() {
        var scenario = Scenario()
        scenario.readings.readStarted = Timestamp.microseconds(Self.short)! - 500_000
        #expect(scenario.verify().passed, "\(scenario.failures)")
        scenario.observed[Self.walletB] = ObservedWallet(
            balance: 105, transactionIDs: ["txn_c5", "txn_c1", "txn_fund_b"], held: 5, available: 100, activeHoldIDs: ["hld_3"])
        #expect(scenario.verify().passed, "\(scenario.failures)")
        scenario.observed[Self.walletB] = ObservedWallet(
            balance: 105, transactionIDs: ["txn_c5", "txn_c1", "txn_fund_b"], held: 6, available: 99, activeHoldIDs: ["hld_3"])
        #expect(scenario.failures == ["wallet wal_B: held 6, expected 0 to 5 (its active holds as read back)"])
    }

    @Test func heldMustBeTheSumOfTheActiveHolds() {
        var scenario = Scenario()
        // A capture that forgot to release the rest of its hold.
        scenario.observed[Self.walletA] = ObservedWallet(
            balance: 75, transactionIDs: ["txn_c1", "txn_fund_a"], held: 22, available: 53, activeHoldIDs: ["hld_4"])
        #expect(scenario.failures == ["wallet wal_A: held 22, expected 7 (its active holds as read back)"])
        scenario.observed[Self.walletA] = ObservedWallet(balance: 75, transactionIDs: ["txn_c1", "txn_fund_a"], activeHoldIDs: ["hld_4"])
        #expect(scenario.failures.contains("wallet wal_A: held missing, expected 7 (its active holds as read back)"), "\(scenario.failures)")
    }

    @Test func availableMustBeBalanceLessHeldAndNeverNegative() {
        var scenario = Scenario()
        scenario.observed[Self.walletA] = ObservedWallet(balance: 75, transactionIDs: ["txn_c1", "txn_fund_a"], held: 7, available: 75, activeHoldIDs: ["hld_4"])
        #expect(scenario.failures == ["wallet wal_A: available 75, expected balance 75 - held 7 = 68 (never negative)"])

        // Holds worth more than the balance: available would be negative.
        var over = Scenario()
        let big = HoldTarget(holdID: "hld_4", wallet: 0, amount: 80)
        over.ledger = ExpectedLedger(walletIDs: [Self.walletA, Self.walletB])
        over.fund("k-fund-a", wallet: 0, transaction: "txn_fund_a")
        over.fund("k-fund-b", wallet: 1, transaction: "txn_fund_b")
        over.place("k-h4", big)
        over.readings.holds = ["hld_4": Scenario.hold(big, "active")]
        over.readings.transactions = [:]
        over.observed = [
            Self.walletA: ObservedWallet(balance: 75, transactionIDs: ["txn_fund_a"], held: 80, available: -5, activeHoldIDs: ["hld_4"]),
            Self.walletB: ObservedWallet(balance: 100, transactionIDs: ["txn_fund_b"], held: 0, available: 100, activeHoldIDs: []),
        ]
        #expect(over.failures.contains("wallet wal_A: available -5, expected balance 75 - held 80 = -5 (never negative)"), "\(over.failures)")
    }

    @Test func theActiveHoldListingMustAgreeWithTheHoldsReadBack() {
        var scenario = Scenario()
        scenario.observed[Self.walletA] = ObservedWallet(
            balance: 75, transactionIDs: ["txn_c1", "txn_fund_a"], held: 7, available: 68, activeHoldIDs: ["hld_1"])
        #expect(
            scenario.failures == [
                "wallet wal_A: its active-hold listing lacks 1 hold(s) read back active (hld_4) and has 1 hold(s) not read back active (hld_1)"
            ])
    }

    @Test func refusalsMustAgreeWithTheHoldsFinalState() {
        var scenario = Scenario()
        scenario.ledger.record(
            PlannedMovement(key: "k-v3", kind: .void, wallet: 1, destination: nil, amount: 5, duplicate: nil, hold: Scenario.h3),
            answer: .refused(code: "hold_captured", replayed: false))
        scenario.ledger.record(
            PlannedMovement(key: "k-c4", kind: .capture, wallet: 0, destination: nil, amount: 7, duplicate: nil, hold: Scenario.h4),
            answer: .refused(code: "amount_exceeds_hold", replayed: false))
        #expect(
            scenario.failures == [
                "key k-v3: refusal hold_captured for hold hld_3: the hold reads back expired",
                "key k-c4: refusal amount_exceeds_hold for hold hld_4: the workload asks for nothing this refusal applies to",
            ])
    }

    @Test func aCaptureOrVoidOfAPlacedHoldAnsweredWithAnErrorIsNamed() {
        var scenario = Scenario()
        scenario.ledger.record(
            PlannedMovement(key: "k-v4", kind: .void, wallet: 0, destination: nil, amount: 7, duplicate: nil, hold: Scenario.h4),
            answer: .rejected(status: 404, code: "hold_not_found"))
        #expect(scenario.failures == ["key k-v4: a capture or void of hold hld_4, which this run placed, was answered 404 hold_not_found"])
    }

    @Test func aCaptureWhoseLegsOrHoldDoNotMatchIsNamed() {
        var scenario = Scenario()
        let intoA = PlannedMovement(key: "k-c4", kind: .capture, wallet: 0, destination: nil, amount: 7, duplicate: nil, hold: Scenario.h4, capturesWholeHold: true)
        scenario.ledger.record(
            intoA,
            answer: .acknowledged(
                Acknowledgement(
                    transactionID: "txn_c4", entries: [.init(walletID: Self.walletA, amount: -7, balanceAfter: 68), .init(walletID: Self.walletB, amount: 7, balanceAfter: nil)],
                    holdID: "hld_1"),
                replayed: false))
        let failures = scenario.failures
        #expect(
            failures.contains(
                "key k-c4: the acknowledged entries do not match the request: expected external +7, wal_A -7, got wal_A -7, wal_B +7 in 2 legs of transaction txn_c4"),
            "\(failures)")
        #expect(failures.contains("key k-c4: the acknowledged entries do not match the request: hold_id hld_1 in transaction txn_c4, expected hld_4"), "\(failures)")
    }

    @Test func aCaptureTransactionReadBackMustMatchItsAcknowledgement() {
        var scenario = Scenario()
        scenario.readings.transactions["txn_c5"] = Acknowledgement(
            transactionID: "txn_c5", entries: [.init(walletID: Self.walletB, amount: -20, balanceAfter: 105), .external(19)], holdID: nil)
        scenario.readings.transactions["txn_c1"] = nil
        scenario.readings.unreadableTransactions["txn_c1"] = "GET answered 404"
        #expect(
            scenario.failures == [
                "transaction txn_c1: could not be read back: GET answered 404",
                "transaction txn_c5: read back differs from its acknowledgement: legs external +19, wal_B -20, acknowledged external +20, wal_B -20; "
                    + "hold_id null, captured hld_5; legs sum to -1",
            ])
    }

    @Test func aCaptureToAWalletAppearsInBothHistories() {
        var scenario = Scenario()
        scenario.observed[Self.walletB] = ObservedWallet(
            balance: 105, transactionIDs: ["txn_c5", "txn_fund_b"], held: 0, available: 105, activeHoldIDs: [])
        #expect(
            scenario.failures == [
                "wallet wal_B: 1 acknowledged transaction(s) missing from its history: txn_c1",
                "transaction txn_c1 (capture): 1 entries across the histories, expected 2",
            ])
    }

    @Test func anUnreadHoldFails() {
        var scenario = Scenario()
        scenario.readings.holds["hld_4"] = nil
        scenario.observed[Self.walletA] = ObservedWallet(balance: 75, transactionIDs: ["txn_c1", "txn_fund_a"], held: 0, available: 75, activeHoldIDs: [])
        #expect(scenario.failures == ["hold hld_4: could not be read back: not read"])
    }

    @Test func timestampsAreReadAsTheServiceWritesThem() {
        #expect(Timestamp.microseconds("1970-01-01T00:00:00Z") == 0)
        #expect(Timestamp.microseconds("1970-01-01T00:00:01.5Z") == 1_500_000)
        #expect(Timestamp.microseconds("2026-11-22T05:36:49.123456Z") == 1_795_325_809_123_456)
        #expect(Timestamp.microseconds("2000-03-01T00:00:00.000000Z") == 951_868_800_000_000)
        #expect(Timestamp.microseconds("2026-11-22T06:36:49.123456+01:00") == Timestamp.microseconds("2026-11-22T05:36:49.123456Z"))
        for text in ["1970-01-01T00:00:00.000000Z", "2026-11-22T05:36:49.123456Z", "2000-02-29T23:59:59.999999Z", "1969-12-31T23:59:59.500000Z"] {
            #expect(Timestamp.string(Timestamp.microseconds(text)!) == text)
        }
        for bad in ["", "2026-11-22", "2026-11-22T05:36:49", "2026-13-22T05:36:49Z", "2026-11-22T05:36:49.Z", "2026-11-22T05:36:49Zx"] {
            #expect(Timestamp.microseconds(bad) == nil, "\(bad)")
        }
    }
}
