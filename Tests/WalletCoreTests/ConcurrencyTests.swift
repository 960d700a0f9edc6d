import Foundation
import MariaDB
import TestSupport
import Testing

@testable import WalletCore

/// Real concurrent clients against MariaDB, checked by invariants. Serialized: each test loads the machine.
@Suite("Concurrent movements against MariaDB", .serialized)
struct ConcurrencyTests {
    /// Combining with group commit (the default), combining alone, plain per-wallet queues (batches of one) and plain optimistic concurrency, each with
    /// the longest deadline: these tests check what contention does to money, and 200 movements queued one by one on
    /// two wallets can take longer than the default deadline on a loaded machine (the deadline has tests of its own).
    static let modes: [MoneyMovements.Configuration] = [
        .init(deadline: MoneyMovements.Configuration.deadlineRange.upperBound),
        .init(groupsCommits: false, deadline: MoneyMovements.Configuration.deadlineRange.upperBound),
        .init(maximumBatchSize: 1, deadline: MoneyMovements.Configuration.deadlineRange.upperBound),
        .init(combinesMovements: false, deadline: MoneyMovements.Configuration.deadlineRange.upperBound),
    ]

    @Test(arguments: modes)
    func twoHundredConcurrentTransfersInBothDirectionsConserveMoney(mode: MoneyMovements.Configuration) async throws {
        try await WalletTestContext.run(movements: mode) { context in
            let alice = try await context.makeUser()
            let bob = try await context.makeUser()
            let a = try await context.makeWallet(for: alice, balance: 1000)
            let b = try await context.makeWallet(for: bob, balance: 1000)
            let outcomes = try await withThrowingTaskGroup(of: (MovementResult?, String?).self) { group in
                for index in 0..<200 {
                    let forward = index % 2 == 0
                    let request = MovementRequest.transfer(
                        from: forward ? a.id : b.id, to: forward ? b.id : a.id, amount: .of(Int64(1 + index * 37 % 400)))
                    group.addTask {
                        do {
                            return (try await context.execute(request, by: forward ? alice.id : bob.id), nil)
                        } catch let error as WalletError {
                            return (nil, error.caseName)
                        }
                    }
                }
                var outcomes: [(MovementResult?, String?)] = []
                for try await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
            let results = outcomes.compactMap(\.0)
            let completed = results.compactMap(\.transaction)
            let refusals = results.compactMap(\.refusal)
            let errors = outcomes.compactMap(\.1)
            // Only contention may stop a transfer here (and with queues, not even that).
            #expect(errors.allSatisfy { $0 == "contention" })
            if mode.combinesMovements { #expect(errors.isEmpty) }
            #expect(refusals.allSatisfy { $0.caseName == "insufficientFunds" })
            #expect(completed.count + refusals.count + errors.count == 200)
            #expect(completed.flatMap(\.entries).allSatisfy { ($0.balanceAfter ?? 0) >= 0 })

            let balanceA = try await context.balance(of: a)
            let balanceB = try await context.balance(of: b)
            #expect(balanceA >= 0 && balanceB >= 0)
            #expect(balanceA + balanceB == 2000)
            #expect(try await context.entryTotal(of: a) == balanceA)
            #expect(try await context.entryTotal(of: b) == balanceB)
            #expect(try await context.count("transactions") == 2 + completed.count)
            let report = try await context.service.auditor.run()
            #expect(report.isClean, "\(report)")
            print(
                "200 transfers (\(mode.label)): \(completed.count) completed, "
                    + "\(refusals.count) refused, \(errors.count) contention; "
                    + "conflicts \(context.metrics.value(MovementMetrics.attemptsLabel, [("result", "conflict")])), "
                    + "deadlocks \(context.metrics.value(MovementMetrics.attemptsLabel, [("result", "deadlock")]))"
            )
        }
    }

    @Test(arguments: modes)
    func fiftyConcurrentRequestsWithOneKeyRunOnce(mode: MoneyMovements.Configuration) async throws {
        try await WalletTestContext.run(movements: mode) { context in
            let user = try await context.makeUser()
            let wallet = try await context.makeWallet(for: user, balance: 100)
            let other = try await context.makeWallet(for: user)
            let request = MovementRequest.transfer(from: wallet.id, to: other.id, amount: .of(30))
            let answers = try await withThrowingTaskGroup(of: Result<MovementResult, WalletError>.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        do {
                            return .success(try await context.execute(request, by: user.id, key: "the-one-key"))
                        } catch let error as WalletError {
                            return .failure(error)
                        }
                    }
                }
                var answers: [Result<MovementResult, WalletError>] = []
                for try await answer in group { answers.append(answer) }
                return answers
            }
            let results = answers.compactMap { try? $0.get() }
            let executions = results.filter { !$0.isReplay }
            #expect(executions.count == 1)
            let original = try #require(executions.first)
            #expect(original.transaction != nil)
            // Every other answer is the identical replay, or "in use" (never a second execution).
            #expect(results.allSatisfy { $0.response == original.response })
            for case .failure(let error) in answers {
                #expect(error.caseName == "idempotencyKeyInUse")
            }
            #expect(try await context.balance(of: wallet) == 70)
            #expect(try await context.balance(of: other) == 30)
            #expect(try await context.count("transactions", where: "idempotency_key = 'the-one-key'") == 1)
            #expect(try await context.service.auditor.run().isClean)
        }
    }

    @Test func exhaustedRetriesAreContentionWithNothingCommitted() async throws {
        try await WalletTestContext.run(movements: .init(retryPolicy: RetryPolicy(maximumAttempts: 1))) { context in
            let user = try await context.makeUser()
            let wallet = try await context.makeWallet(for: user, balance: 100)
            // A concurrent writer (another instance, say) holds the wallet's row with its own version bump.
            let writer = try await offload { try MariaDBConnection.connect(context.configuration) }
            defer { writer.close() }
            try await offload {
                try writer.query("START TRANSACTION")
                try writer.query("UPDATE wallets SET version = version + 1 WHERE id = '\(wallet.id)'")
            }
            let movement = Task {
                try await context.execute(.deposit(wallet: wallet.id, amount: .of(5)), by: user.id, key: "contended")
            }
            // Commit once the movement has read the old version and waits on the row lock for its UPDATE.
            try await context.waitUntilAStatementWaits(on: "UPDATE wallets")
            try await offload { _ = try writer.query("COMMIT") }
            await #expect {
                try await movement.value
            } throws: { error in
                guard case WalletError.contention = error else { return false }
                return true
            }
            #expect(try await context.balance(of: wallet) == 100)
            #expect(try await context.count("transactions") == 1)
            #expect(try await context.count("idempotency_keys", where: "idempotency_key = 'contended'") == 0)
            #expect(context.metrics.value(MovementMetrics.attemptsLabel, [("result", "conflict")]) == 1)
            #expect(context.metrics.value(MovementMetrics.retriesExhaustedLabel) == 1)
            // Nothing was stored, so the client may retry with the same key, and it runs.
            let retry = try await context.execute(.deposit(wallet: wallet.id, amount: .of(5)), by: user.id, key: "contended")
            #expect(!retry.isReplay && retry.transaction != nil)
            #expect(try await context.balance(of: wallet) == 105)
        }
    }

    @Test func aKeyHeldByARunningRequestIsInUseAndNeverRunsTwice() async throws {
        try await WalletTestContext.run { context in
            let user = try await context.makeUser()
            let wallet = try await context.makeWallet(for: user)
            // Another instance claimed the key and is still running its transaction.
            let other = try await offload { try MariaDBConnection.connect(context.configuration) }
            defer { other.close() }
            try await offload {
                try other.query("START TRANSACTION")
                try other.query(
                    "INSERT INTO idempotency_keys (principal_id, idempotency_key, fingerprint, request_fields, created_at) "
                        + "VALUES ('\(user.id)', 'busy', 'elsewhere', 'operation=deposit\n', NOW(6))"
                )
            }
            let started = ContinuousClock.now
            await #expect {
                try await context.execute(.deposit(wallet: wallet.id, amount: .of(5)), by: user.id, key: "busy")
            } throws: { error in
                guard case WalletError.idempotencyKeyInUse = error else { return false }
                return true
            }
            let waited = ContinuousClock.now - started
            #expect(waited >= .seconds(IdempotencyRecords.claimLockWaitSeconds) && waited < .seconds(10))
            #expect(try await context.balance(of: wallet) == 0)
            // The other request gave up: the key is free again and the movement runs.
            try await offload { _ = try other.query("ROLLBACK") }
            let retry = try await context.execute(.deposit(wallet: wallet.id, amount: .of(5)), by: user.id, key: "busy")
            #expect(!retry.isReplay && retry.transaction != nil)
            #expect(context.metrics.value(MovementMetrics.attemptsLabel, [("result", "rejected")]) == 1)
        }
    }

    @Test func followingCursorsVisitsEachEntryOnceWhileEntriesArrive() async throws {
        try await WalletTestContext.run { context in
            let user = try await context.makeUser()
            let wallet = try await context.makeWallet(for: user)
            let other = try await context.makeWallet(for: user, balance: 1_000_000)
            for _ in 0..<40 {
                try await context.execute(.deposit(wallet: wallet.id, amount: .of(1)), by: user.id)
            }
            let before = try await allEntries(of: wallet, context: context)
            #expect(before.count == 40)
            // Writers add entries to the wallet (deposits and transfers in) while a reader pages through it.
            let writers = Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<60 {
                        group.addTask {
                            let request: MovementRequest =
                                index % 2 == 0
                                ? .deposit(wallet: wallet.id, amount: .of(2))
                                : .transfer(from: other.id, to: wallet.id, amount: .of(3))
                            try await context.execute(request, by: user.id)
                        }
                    }
                    try await group.waitForAll()
                }
            }
            var seen: [WalletEntry] = []
            var cursor: EntryCursor?
            repeat {
                let page = try await context.service.wallets.entries(of: wallet.id, ownedBy: .user(user.id), pageSize: PageSize(3)!, after: cursor)
                seen.append(contentsOf: page.entries)
                cursor = page.nextCursor
                try await Task.sleep(for: .milliseconds(2))
            } while cursor != nil
            try await writers.value
            let sequences = seen.map(\.sequence)
            #expect(Set(sequences).count == sequences.count, "an entry was visited twice")
            #expect(zip(sequences, sequences.dropFirst()).allSatisfy { $0 > $1 }, "entries are not newest first")
            #expect(Set(before.map(\.sequence)).isSubset(of: Set(sequences)), "an entry that existed at the start was skipped")
            // After the writers, a full traversal sees all 100 entries exactly once.
            let after = try await allEntries(of: wallet, context: context)
            #expect(after.count == 100 && Set(after.map(\.sequence)).count == 100)
            let newest = try #require(after.first)
            #expect(newest.balanceAfter == 190)
        }
    }

    private func allEntries(of wallet: Wallet, context: WalletTestContext) async throws -> [WalletEntry] {
        var entries: [WalletEntry] = []
        var cursor: EntryCursor?
        repeat {
            let page = try await context.service.wallets.entries(of: wallet.id, ownedBy: wallet.ownerID, pageSize: PageSize(7)!, after: cursor)
            entries.append(contentsOf: page.entries)
            cursor = page.nextCursor
        } while cursor != nil
        return entries
    }

    /// Waits until a statement starting with `prefix` waits for a lock on the test's database (the wallet user
    /// sees its own connections in the process list).
}

extension MoneyMovements.Configuration {
    /// How the test output names the mode.
    var label: String {
        guard combinesMovements else { return "naive optimistic" }
        let combining = maximumBatchSize == 1 ? "per-wallet queues" : "combined, batches up to \(maximumBatchSize)"
        return combining + (groupsCommits ? ", group commit in \(transactionSlots) slots" : "")
    }
}
