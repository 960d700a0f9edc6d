import Foundation
import MariaDB
import Testing

@testable import WalletCore

@Suite("Idempotency key purge against MariaDB")
struct PurgeTests {
    @Test func onlyKeysOlderThanTheRetentionAreDeleted() async throws {
        try await WalletTestContext.run(idempotencyPurgeBatchSize: 2) { context in
            let user = try await context.makeUser()
            let wallet = try await context.makeWallet(for: user)
            for index in 0..<7 {
                try await context.execute(.deposit(wallet: wallet.id, amount: .of(1)), by: user.id, key: "key-\(index)")
            }
            // Five keys are a little over a day old, one just under, one new.
            try await context.sql(
                "UPDATE idempotency_keys SET created_at = NOW(6) - INTERVAL 25 HOUR "
                    + "WHERE idempotency_key IN ('key-0', 'key-1', 'key-2', 'key-3', 'key-4')"
            )
            try await context.sql("UPDATE idempotency_keys SET created_at = NOW(6) - INTERVAL 23 HOUR WHERE idempotency_key = 'key-5'")
            #expect(try await context.service.idempotencyPurger.purge() == 5)
            let remaining = try await context.sql("SELECT idempotency_key FROM idempotency_keys ORDER BY idempotency_key")
                .map { try $0.decode(String.self, "idempotency_key") }
            #expect(remaining == ["key-5", "key-6"])
            #expect(try await context.service.idempotencyPurger.purge() == 0)
            // The ledger keeps every transaction; a purged key may be used again.
            #expect(try await context.count("transactions") == 7)
            let reuse = try await context.execute(.deposit(wallet: wallet.id, amount: .of(1)), by: user.id, key: "key-0")
            #expect(!reuse.isReplay)
            // A shorter retention purges younger keys.
            #expect(try await context.service.idempotencyPurger.purge(olderThan: .seconds(3600)) == 1)
        }
    }
}
