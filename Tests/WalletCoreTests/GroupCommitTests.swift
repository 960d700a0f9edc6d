import Foundation
import MariaDB
import Testing

@testable import WalletCore

/// Group commit against MariaDB: movements on unrelated wallets that find every transaction slot taken share the
/// next transaction, and a conflict in a group costs only the batch it belongs to.
@Suite("Group commit against MariaDB")
struct GroupCommitTests {
    /// One transaction slot, the longest deadline: whatever waits for the slot goes into one group.
    static let oneSlot = MoneyMovements.Configuration(transactionSlots: 1, deadline: MoneyMovements.Configuration.deadlineRange.upperBound)

    @Test func depositsThatWaitForTheSlotShareTheNextTransaction() async throws {
        try await WalletTestContext.run(movements: Self.oneSlot) { context in
            let user = try await context.makeUser()
            var wallets: [Wallet] = []
            for _ in 0..<41 { wallets.append(try await context.makeWallet(for: user)) }
            let batchesBefore = context.metrics.value(MovementMetrics.batchesLabel)
            let (first, others) = (wallets[0], Array(wallets.dropFirst()))
            // The first deposit takes the slot and stays in it, waiting for a row lock on its wallet, while the
            // others arrive and wait for the slot.
            let (running, waiting) = try await RowLockHolder.holding(["SELECT id FROM wallets WHERE id = '\(first.id)' FOR UPDATE"], on: context.pool) {
                let running = Task { try await context.execute(.deposit(wallet: first.id, amount: .of(1)), by: user.id) }
                try await waitForALockWait(context)
                let waiting = Task {
                    try await withThrowingTaskGroup(of: MovementResult.self) { group in
                        for wallet in others { group.addTask { try await context.execute(.deposit(wallet: wallet.id, amount: .of(2)), by: user.id) } }
                        return try await group.reduce(into: []) { $0.append($1) }
                    }
                }
                // Time for the 40 to arrive; the lock holder then lets the first one commit.
                try await Task.sleep(for: .seconds(1))
                return (running, waiting)
            }
            let alone = try await running.value
            let grouped = try await waiting.value
            #expect(alone.transaction != nil && grouped.count == 40 && grouped.allSatisfy { $0.transaction != nil })
            let batches = context.metrics.value(MovementMetrics.batchesLabel) - batchesBefore
            // The first alone, then the 40 in one transaction (two if one arrived late).
            #expect(batches >= 2 && batches <= 3, "41 deposits committed in \(batches) transactions")
            for wallet in others { #expect(try await context.balance(of: wallet) == 2) }
            #expect(try await context.balance(of: first) == 1)
            #expect(try await context.service.auditor.run().isClean)
        }
    }

    @Test func aConflictSplitsTheGroupAndCostsOnlyItsOwnBatch() async throws {
        try await WalletTestContext.run { context in
            let user = try await context.makeUser()
            let troubled = try await context.makeWallet(for: user, balance: 100)
            let calm = [try await context.makeWallet(for: user), try await context.makeWallet(for: user)]
            // Every write of the troubled wallet is a deadlock victim: what another instance's writes can do to it.
            try await context.sql("""
                CREATE TRIGGER wallets_forced_deadlock BEFORE UPDATE ON wallets FOR EACH ROW
                IF NEW.id = '\(troubled.id)' THEN SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213, MESSAGE_TEXT = 'forced deadlock'; END IF
                """)
            func command(_ request: MovementRequest, key: String) -> MovementCommand {
                MovementCommand(
                    request: request, principal: .user(user.id), idempotencyKey: IdempotencyKey(key)!,
                    deadline: .now + .seconds(30), render: TestRenderer.render)
            }
            let answers = await context.movements.runner.run(group: [
                [command(.withdrawal(wallet: troubled.id, amount: .of(10)), key: "troubled")],
                [command(.deposit(wallet: calm[0].id, amount: .of(5)), key: "calm-0")],
                [command(.deposit(wallet: calm[1].id, amount: .of(6)), key: "calm-1"), command(.deposit(wallet: calm[1].id, amount: .of(7)), key: "calm-1b")],
            ])
            #expect(answers.map(\.count) == [1, 1, 2])
            #expect(answers[0][0].walletErrorName == "contention")
            #expect(answers.dropFirst().joined().allSatisfy { (try? $0.get())?.transaction != nil })
            #expect(context.metrics.value(MovementMetrics.groupSplitsLabel) == 1)
            // The group tried once; then the troubled batch alone used up its attempts, the others committed at once.
            let deadlocks = context.metrics.value(MovementMetrics.attemptsLabel, [("result", "deadlock")])
            #expect(deadlocks == 4 + Int64(RetryPolicy.default.maximumAttempts), "\(deadlocks)")
            try await context.sql("DROP TRIGGER wallets_forced_deadlock")
            #expect(try await context.balance(of: troubled) == 100)
            #expect(try await context.balance(of: calm[0]) == 5)
            #expect(try await context.balance(of: calm[1]) == 13)
            #expect(try await context.count("idempotency_keys", where: "idempotency_key = 'troubled'") == 0, "nothing of it committed")
            #expect(try await context.service.auditor.run().isClean)
        }
    }

    /// Waits until a movement of this test's database is stuck in its wallet update (the row lock's wait).
    private func waitForALockWait(_ context: WalletTestContext) async throws {
        for _ in 0..<1_500 {
            let waits = try await context.count(
                "information_schema.processlist", where: "db = DATABASE() AND info LIKE 'UPDATE wallets SET balance%'")
            if waits > 0 { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("no transaction waited for the row lock within 30 s")
    }
}

extension Result where Failure == any Error {
    /// The case name of the ``WalletError`` this failed with, or nil.
    fileprivate var walletErrorName: String? {
        guard case .failure(let error) = self else { return nil }
        return (error as? WalletError)?.caseName
    }
}
