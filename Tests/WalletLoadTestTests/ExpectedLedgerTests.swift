import Testing
import WalletLoadTest

/// The expected-ledger model: balances from acknowledgements, and every kind of difference it must catch. Deposits
/// and withdrawals have two legs, the external account's and the wallet's.
@Suite("Expected ledger")
struct ExpectedLedgerTests {
    static let walletA = "wal_A"
    static let walletB = "wal_B"

    /// Two wallets funded with 100 each, then a transfer of 30 from A to B, a withdrawal of 10 from B and a refused
    /// withdrawal of 500 from A; the ledger the service should show for it.
    struct Scenario {
        var ledger = ExpectedLedger(walletIDs: [walletA, walletB])
        var observed: [String: ObservedWallet] = [
            walletA: ObservedWallet(balance: 70, transactionIDs: ["txn_transfer", "txn_fund_a"]),
            walletB: ObservedWallet(balance: 120, transactionIDs: ["txn_withdrawal", "txn_transfer", "txn_fund_b"]),
        ]
        let transfer = PlannedMovement(key: "k-transfer", kind: .transfer, wallet: 0, destination: 1, amount: 30, duplicate: nil)

        init() {
            ledger.record(Self.deposit("k-fund-a", wallet: 0, 100), answer: Self.ack("txn_fund_a", [(nil, -100, nil), (walletA, 100, 100)]))
            ledger.record(Self.deposit("k-fund-b", wallet: 1, 100), answer: Self.ack("txn_fund_b", [(nil, -100, nil), (walletB, 100, 100)]))
            ledger.record(transfer, answer: .uncertain(reason: "timeout", retryAfterSeconds: nil))
            ledger.record(transfer, answer: Self.ack("txn_transfer", [(walletA, -30, 70), (walletB, 30, 130)]))
            ledger.record(
                PlannedMovement(key: "k-withdrawal", kind: .withdrawal, wallet: 1, destination: nil, amount: 10, duplicate: nil),
                answer: Self.ack("txn_withdrawal", [(walletB, -10, 120), (nil, 10, nil)]))
            ledger.record(
                PlannedMovement(key: "k-refused", kind: .withdrawal, wallet: 0, destination: nil, amount: 500, duplicate: nil),
                answer: .refused(code: "insufficient_funds", replayed: false))
        }

        static func deposit(_ key: String, wallet: Int, _ amount: Int64) -> PlannedMovement {
            PlannedMovement(key: key, kind: .deposit, wallet: wallet, destination: nil, amount: amount, duplicate: nil)
        }

        /// A `201` with legs (wallet id or nil for the external account, amount, balance after).
        static func ack(_ id: String, _ entries: [(String?, Int64, Int64?)], hold: String? = nil, replayed: Bool = false) -> MovementAnswer {
            .acknowledged(
                Acknowledgement(
                    transactionID: id, entries: entries.map { Acknowledgement.Entry(walletID: $0.0, amount: $0.1, balanceAfter: $0.2) }, holdID: hold),
                replayed: replayed)
        }

        func verify() -> VerificationResult { ledger.verify(observed: observed) }
    }

    @Test func aMatchingLedgerPasses() {
        let result = Scenario().verify()
        #expect(result.passed, "\(result.failures)")
        #expect(result.acknowledgedKeys == 4)
        #expect(result.refusedKeys == 1)
        #expect(result.entriesRead == 5)
        #expect(result.totalMoney == 190)
        #expect(result.summary.hasPrefix("verification passed: 2 wallets, 4 acknowledged keys, 1 refusals"))
    }

    @Test func aReplayWithTheSameTransactionIsFine() {
        var scenario = Scenario()
        scenario.ledger.record(
            scenario.transfer, answer: Scenario.ack("txn_transfer", [(Self.walletA, -30, 70), (Self.walletB, 30, 130)], replayed: true))
        #expect(scenario.verify().passed)
    }

    @Test func aWrongBalanceIsNamed() {
        var scenario = Scenario()
        scenario.observed[Self.walletA] = ObservedWallet(balance: 71, transactionIDs: ["txn_transfer", "txn_fund_a"])
        let failures = scenario.verify().failures
        #expect(failures.contains("wallet wal_A: balance expected 70, actual 71 (off by 1)"), "\(failures)")
        #expect(failures.contains { $0.hasPrefix("total money: expected funding + deposits - withdrawals - captures out = 190, sum of balances = 191") })
    }

    @Test func aMissingTransactionIsNamed() {
        var scenario = Scenario()
        scenario.observed[Self.walletB] = ObservedWallet(balance: 120, transactionIDs: ["txn_withdrawal", "txn_fund_b"])
        let failures = scenario.verify().failures
        #expect(failures.contains("wallet wal_B: 1 acknowledged transaction(s) missing from its history: txn_transfer"), "\(failures)")
        #expect(failures.contains("transaction txn_transfer (transfer): 1 entries across the histories, expected 2"), "\(failures)")
    }

    @Test func anExtraTransactionIsNamed() {
        var scenario = Scenario()
        scenario.observed[Self.walletA] = ObservedWallet(balance: 70, transactionIDs: ["txn_ghost", "txn_transfer", "txn_fund_a"])
        let failures = scenario.verify().failures
        #expect(failures == ["wallet wal_A: 1 transaction(s) in its history that no acknowledged key accounts for: txn_ghost"])
    }

    @Test func aDuplicatedEntryIsNamed() {
        var scenario = Scenario()
        scenario.observed[Self.walletB] = ObservedWallet(
            balance: 120, transactionIDs: ["txn_withdrawal", "txn_withdrawal", "txn_transfer", "txn_fund_b"])
        let failures = scenario.verify().failures
        #expect(failures.contains("wallet wal_B: transaction txn_withdrawal appears 2 times in its history"), "\(failures)")
        #expect(failures.contains { $0.hasPrefix("transaction txn_withdrawal (withdrawal): 2 entries") })
    }

    @Test func aKeyThatMovedMoneyTwiceIsNamed() {
        var scenario = Scenario()
        scenario.ledger.record(scenario.transfer, answer: Scenario.ack("txn_second", [(Self.walletA, -30, 40), (Self.walletB, 30, 150)]))
        let failures = scenario.verify().failures
        #expect(failures.contains("duplicate key k-transfer: answered with transaction txn_transfer and with transaction txn_second"), "\(failures)")
    }

    @Test func twoKeysWithOneTransactionAreNamed() {
        var scenario = Scenario()
        scenario.ledger.record(
            Scenario.deposit("k-other", wallet: 0, 100), answer: Scenario.ack("txn_fund_a", [(nil, -100, nil), (Self.walletA, 100, 100)]))
        let failures = scenario.verify().failures
        #expect(failures.contains("transaction txn_fund_a acknowledged for 2 different keys: k-fund-a, k-other"), "\(failures)")
    }

    @Test func entriesThatDoNotMatchTheRequestAreNamed() {
        var scenario = Scenario()
        scenario.ledger.record(Scenario.deposit("k-odd", wallet: 0, 5), answer: Scenario.ack("txn_odd", [(nil, -5, nil), (Self.walletB, 5, 125)]))
        let failures = scenario.verify().failures
        #expect(
            failures.contains {
                $0.hasPrefix("key k-odd: the acknowledged entries do not match the request: expected external -5, wal_A +5, got external -5, wal_B +5")
            },
            "\(failures)")
    }

    @Test func aDepositWithoutItsExternalLegIsNamed() {
        var scenario = Scenario()
        scenario.ledger.record(Scenario.deposit("k-single", wallet: 0, 5), answer: Scenario.ack("txn_single", [(Self.walletA, 5, 75)]))
        scenario.observed[Self.walletA] = ObservedWallet(balance: 75, transactionIDs: ["txn_single", "txn_transfer", "txn_fund_a"])
        let failures = scenario.verify().failures
        #expect(
            failures.contains {
                $0.hasPrefix("key k-single: the acknowledged entries do not match the request: expected external -5, wal_A +5, got wal_A +5 in 1 legs")
            },
            "\(failures)")
        #expect(failures.contains("transaction txn_single: its legs sum to 5, not 0"), "\(failures)")
    }

    @Test func aWithdrawalWithThreeLegsIsNamed() {
        var scenario = Scenario()
        let withdrawal = PlannedMovement(key: "k-three", kind: .withdrawal, wallet: 0, destination: nil, amount: 4, duplicate: nil)
        scenario.ledger.record(withdrawal, answer: Scenario.ack("txn_three", [(Self.walletA, -4, 66), (nil, 2, nil), (nil, 2, nil)]))
        scenario.observed[Self.walletA] = ObservedWallet(balance: 66, transactionIDs: ["txn_three", "txn_transfer", "txn_fund_a"])
        let failures = scenario.verify().failures
        #expect(failures == ["key k-three: the acknowledged entries do not match the request: expected external +4, wal_A -4, got external +4, wal_A -4 in 3 legs of transaction txn_three"], "\(failures)")
    }

    @Test func anUnresolvedKeyFails() {
        var scenario = Scenario()
        let lost = Scenario.deposit("k-lost", wallet: 0, 1)
        scenario.ledger.record(lost, answer: .uncertain(reason: "503 contention", retryAfterSeconds: 1))
        #expect(scenario.ledger.unresolvedMovements == [lost])
        let failures = scenario.verify().failures
        #expect(failures == ["key k-lost: no definite answer even after resending (last: 503 contention)"])
    }

    @Test func negativeAndUnreadableWalletsFail() {
        var scenario = Scenario()
        scenario.observed[Self.walletA] = nil
        let failures = scenario.ledger.verify(observed: scenario.observed, unreadable: [Self.walletA: "GET answered 404"]).failures
        #expect(failures.contains("wallet wal_A: could not be read: GET answered 404"), "\(failures)")
        scenario.observed[Self.walletA] = ObservedWallet(balance: -1, transactionIDs: ["txn_transfer", "txn_fund_a"])
        #expect(scenario.verify().failures.contains("wallet wal_A: negative balance -1"))
    }
}
