import MariaDB

/// Reads the baseline's wallets back for the verification: the balance and the transaction of every entry, in order.
/// The baseline moves no holds and reverses nothing, so there is nothing else to read.
struct RawLedgerReader: LedgerReader {
    let pool: MariaDBConnectionPool
    let population: RawPopulation

    func read(walletAt index: Int, includingActiveHolds: Bool) async throws -> ObservedWallet {
        let id = population.walletIDs[index]
        return try await pool.withConnection { connection in
            guard let wallet = try connection.execute("SELECT balance FROM raw_wallets WHERE id = ?", [.string(id)]).rows.first else {
                throw RunError("raw wallet \(id) is missing")
            }
            let history = try connection.execute("SELECT transaction_id FROM raw_entries WHERE wallet_id = ? ORDER BY id", [.string(id)]).rows
            return ObservedWallet(balance: try wallet.decode(Int64.self, at: 0), transactionIDs: try history.map { String(try $0.decode(Int64.self, at: 0)) })
        }
    }

    func readHold(_ holdID: String, ownerOfWalletAt index: Int) async throws -> HoldState {
        throw RunError("the raw baseline places no holds (\(holdID))")
    }

    func readTransaction(_ transactionID: String, ownerOfWalletAt index: Int) async throws -> TransactionReading {
        throw RunError("the raw baseline captures and reverses nothing (\(transactionID))")
    }

    /// The baseline's own audit of the run's wallets: each balance is the sum of its entries, and every transaction's
    /// entries sum to zero.
    func audit() async -> [VerificationFailure] {
        let prefix = population.prefix
        do {
            return try await pool.withConnection { connection in
                let unbalanced = try connection.execute(
                    """
                    SELECT w.id, w.balance, COALESCE(SUM(e.amount), 0) AS entries FROM raw_wallets w
                    LEFT JOIN raw_entries e ON e.wallet_id = w.id WHERE w.id LIKE CONCAT(?, '-%') GROUP BY w.id, w.balance
                    HAVING w.balance <> entries
                    """, [.string(prefix)]
                ).rows
                let uneven = try connection.execute(
                    """
                    SELECT e.transaction_id FROM raw_entries e WHERE e.transaction_id IN
                      (SELECT transaction_id FROM raw_entries WHERE wallet_id LIKE CONCAT(?, '-%'))
                    GROUP BY e.transaction_id HAVING SUM(e.amount) <> 0
                    """, [.string(prefix)]
                ).rows
                var failures: [VerificationFailure] = []
                if !unbalanced.isEmpty { failures.append(.auditFailed("\(unbalanced.count) raw wallets whose balance is not the sum of their entries")) }
                if !uneven.isEmpty { failures.append(.auditFailed("\(uneven.count) raw transactions whose entries do not sum to zero")) }
                return failures
            }
        } catch {
            return [.auditFailed("the raw audit could not run: \(error)")]
        }
    }
}
