import MariaDB
import Testing

@testable import WalletCore

/// What a database error outside a movement's own retries becomes for a caller of the wallet core (and so for an
/// API client): a transient conflict is `contention` (503, send again), a lost server `unavailable`, the rest a
/// database failure (500). On a Galera node a causal read that timed out waiting for its node is a 1205.
@Suite("Database error translation")
struct DatabaseErrorTranslationTests {
    @Test(arguments: [UInt32(1205), 1213, 1020])
    func transientConflictsAreContention(number: UInt32) {
        let error = WalletDatabase.translate(MariaDBError(number: number, sqlState: "HY000", message: "m"))
        guard case WalletError.contention = error else {
            Issue.record("\(number) became \(error)")
            return
        }
    }

    @Test func aLostServerIsUnavailableAndTheRestAFailure() {
        guard case WalletError.unavailable = WalletDatabase.translate(MariaDBError(number: 2013, sqlState: "HY000", message: "lost")) else {
            Issue.record("2013 is not unavailable")
            return
        }
        guard case WalletError.databaseFailure = WalletDatabase.translate(MariaDBError(number: 1146, sqlState: "42S02", message: "no table")) else {
            Issue.record("1146 is not a database failure")
            return
        }
    }
}
