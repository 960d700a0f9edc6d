import Foundation
import MariaDB
import Testing
import TestSupport

@testable import WalletCore

/// A batch claims many keys while another session holds one of them uncommitted past the claim's lock wait
/// timeout. With `innodb_rollback_on_timeout=OFF` (the server's default) the timeout rolls back the statement, with
/// `ON` the whole transaction, earlier claims included: under both, nothing may be half-written and every
/// movement gets its right answer.
@Suite("A busy idempotency key under either innodb_rollback_on_timeout")
struct ClaimLockWaitTimeoutTests {
    /// One more than a full chunk of claims, so the busy key is claimed by a statement after 64 keys were claimed
    /// in the same transaction.
    static let movements = MultiRowStatement.rowCounts[0] + 1

    @Test func withTheStatementRolledBack() async throws {
        try await TestDatabase.withScratchDatabase { configuration in
            try await Self.claimWhileOneKeyIsBusy(on: configuration, expectedSetting: 0)
        }
    }

    @Test func withTheWholeTransactionRolledBack() async throws {
        // The setting is not dynamic: a server of its own.
        let server = PrivateMariaDBServer(
            name: "rollback-on-timeout", port: WalletExecutable.freeLoopbackPort(), rollsBackTransactionOnTimeout: true)
        try await server.start()
        do {
            var scratch = server.configuration
            scratch.database = "wallet_test_rollback_on_timeout"
            let configuration = scratch
            try await withPool(on: server.configuration, configuration: .init(size: 1), logger: WalletTestContext.logger) { admin in
                try await admin.withConnection { connection in
                    try connection.query("DROP DATABASE IF EXISTS `\(configuration.database)`")
                    try connection.query("CREATE DATABASE `\(configuration.database)` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
                }
            }
            try await Self.claimWhileOneKeyIsBusy(on: configuration, expectedSetting: 1)
        } catch {
            try? await server.stop()
            throw error
        }
        try await server.stop()
    }

    private static func claimWhileOneKeyIsBusy(on configuration: MariaDBConfiguration, expectedSetting: Int) async throws {
        try await WalletTestContext.run(on: configuration) { context in
            let setting = try await context.sql("SELECT @@innodb_rollback_on_timeout AS setting").first!.decode(Int.self, "setting")
            #expect(setting == expectedSetting)
            let user = try await context.makeUser()
            let wallet = try await context.makeWallet(for: user)
            // The busy key sorts before every other key: InnoDB may make an insert into the index gap next to the
            // held row wait too (seen on 10.11 after the batch's own wait for it), which would make a neighbour busy.
            let busyKey = "a-busy"
            let keys = (1..<movements).map { "claim-\($0)" } + [busyKey]
            let commands = keys.map { key in
                MovementCommand(
                    request: .deposit(wallet: wallet.id, amount: .of(1)), principal: .user(user.id), idempotencyKey: IdempotencyKey(key)!,
                    deadline: .now + .seconds(60), render: TestRenderer.render
                )
            }
            let holdTheKey = """
                INSERT INTO idempotency_keys (principal_id, idempotency_key, fingerprint, request_fields, created_at)
                VALUES ('\(user.id)', '\(busyKey)', '\(String(repeating: "0", count: 64))', '{}', UTC_TIMESTAMP(6))
                """
            let clock = ContinuousClock()
            let start = clock.now
            let answers = try await RowLockHolder.holding([holdTheKey], on: context.pool) {
                await context.movements.runner.run(commands)
            }
            print("innodb_rollback_on_timeout=\(setting): \(movements) movements with one busy key answered after \(clock.now - start)")

            // The right answers: every movement but the busy one committed as a first answer, never a replay.
            for (key, answer) in zip(keys.dropLast(), answers.dropLast()) {
                let result = try answer.get()
                #expect(!result.isReplay && result.transaction != nil, "\(key)")
            }
            #expect(#expect(throws: WalletError.self) { try answers.last!.get() }?.caseName == "idempotencyKeyInUse")
            #expect(context.metrics.value(MovementMetrics.attemptsLabel, [("result", "failed")]) == 0, "no attempt failed on the way")

            // Nothing half-written: every key that exists has its response and its transaction; the busy one does not.
            #expect(try await context.count("idempotency_keys", where: "principal_id = '\(user.id)'") == movements - 1)
            #expect(try await context.count("idempotency_keys", where: "response_status IS NULL") == 0)
            #expect(try await context.count("idempotency_keys", where: "idempotency_key = '\(busyKey)'") == 0)
            #expect(try await context.count("transactions", where: "idempotency_key LIKE 'claim-%'") == movements - 1)
            #expect(try await context.balance(of: wallet) == Int64(movements - 1))
            let report = try await context.service.auditor.run()
            #expect(report.isClean, "\(report)")
        }
    }
}
