import Foundation
import Testing

@testable import WalletCore

/// Every movement has a deadline covering its waiting, attempts, backoff and statements; past it, it answers
/// `contention` with nothing committed, and its key stays free.
@Suite("Movement deadlines against MariaDB")
struct MovementDeadlineTests {
    /// Far shorter than the server's own lock wait timeout (10 s), so only the deadline explains an answer near it.
    static let deadline: Duration = .seconds(1)

    @Test func aMovementOnAWalletLockedPastItsDeadlineAnswersContentionNearTheDeadlineAndCommitsNothing() async throws {
        try await WalletTestContext.run(movements: .init(deadline: Self.deadline)) { context in
            let user = try await context.makeUser()
            let wallet = try await context.makeWallet(for: user, balance: 100)
            let clock = ContinuousClock()
            let elapsed = try await RowLockHolder.holding(
                ["SELECT id FROM wallets WHERE id = '\(wallet.id)' FOR UPDATE"], on: context.pool
            ) {
                let start = clock.now
                let error = await #expect(throws: WalletError.self) {
                    try await context.execute(.withdrawal(wallet: wallet.id, amount: .of(30)), by: user.id, key: "late")
                }
                #expect(error?.caseName == "contention")
                return clock.now - start
            }
            print("a movement on a wallet locked until it answered: contention after \(elapsed) (deadline \(Self.deadline))")
            #expect(elapsed >= Self.deadline - .milliseconds(50))
            #expect(elapsed < .seconds(8), "the answer came with the server's lock wait timeout, not the deadline")
            #expect(context.metrics.value(MovementMetrics.deadlineExpiredLabel) == 1)

            // Nothing was committed, and the key is free: the same request succeeds now that the lock is gone.
            #expect(try await context.count("idempotency_keys", where: "idempotency_key = 'late'") == 0)
            #expect(try await context.balance(of: wallet) == 100)
            let later = try await context.execute(.withdrawal(wallet: wallet.id, amount: .of(30)), by: user.id, key: "late")
            #expect(!later.isReplay && later.transaction != nil)
            #expect(try await context.balance(of: wallet) == 70)
            #expect(try await context.service.auditor.run().isClean)
        }
    }

    @Test func aMovementWhoseDeadlinePassedBeforeItsTurnIsAnsweredWithoutRunning() async throws {
        try await WalletTestContext.run { context in
            let user = try await context.makeUser()
            let wallet = try await context.makeWallet(for: user)
            let batchesBefore = context.metrics.value(MovementMetrics.batchesLabel)
            let attemptsBefore = MovementMetrics.AttemptResult.allCases.reduce(0) {
                $0 + context.metrics.value(MovementMetrics.attemptsLabel, [("result", $1.rawValue)])
            }
            // As a movement that waited in the combiner until after its deadline reaches the runner.
            let answers = await context.movements.runner.run([
                MovementCommand(
                    request: .deposit(wallet: wallet.id, amount: .of(5)), principal: .user(user.id), idempotencyKey: IdempotencyKey("waited")!,
                    deadline: .now - .milliseconds(1), render: TestRenderer.render
                ),
                MovementCommand(
                    request: .deposit(wallet: wallet.id, amount: .of(7)), principal: .user(user.id), idempotencyKey: IdempotencyKey("in-time")!,
                    deadline: .now + .seconds(30), render: TestRenderer.render
                ),
            ])
            #expect(#expect(throws: WalletError.self) { try answers[0].get() }?.caseName == "contention")
            #expect(try answers[1].get().transaction != nil)
            let attempts = MovementMetrics.AttemptResult.allCases.reduce(0) {
                $0 + context.metrics.value(MovementMetrics.attemptsLabel, [("result", $1.rawValue)])
            }
            #expect(attempts - attemptsBefore == 1, "only the movement in time took part in a transaction")
            #expect(context.metrics.value(MovementMetrics.batchesLabel) - batchesBefore == 1)
            #expect(context.metrics.value(MovementMetrics.deadlineExpiredLabel) == 1)
            #expect(try await context.count("idempotency_keys", where: "idempotency_key = 'waited'") == 0)
            #expect(try await context.balance(of: wallet) == 7)
        }
    }
}
