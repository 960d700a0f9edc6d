import MariaDB

/// The tables of the hand-written baseline, beside the service's own in the same database and never touched by it:
/// what a team writing its own ledger would start with. Wallets carry a balance and a version; a transaction row
/// claims its idempotency key (and pins a refusal); entries are the legs, the external account's with no wallet.
enum RawSchema {
    static let statements = [
        """
        CREATE TABLE IF NOT EXISTS raw_wallets (
          id VARCHAR(64) NOT NULL PRIMARY KEY,
          balance BIGINT NOT NULL,
          version BIGINT NOT NULL,
          CONSTRAINT raw_wallets_balance_not_negative CHECK (balance >= 0)
        ) ENGINE=InnoDB
        """,
        """
        CREATE TABLE IF NOT EXISTS raw_transactions (
          id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
          idempotency_key VARCHAR(255) NOT NULL,
          refusal VARCHAR(32) NULL,
          UNIQUE KEY raw_transactions_key (idempotency_key)
        ) ENGINE=InnoDB
        """,
        """
        CREATE TABLE IF NOT EXISTS raw_entries (
          id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
          transaction_id BIGINT NOT NULL,
          wallet_id VARCHAR(64) NULL,
          amount BIGINT NOT NULL,
          balance_after BIGINT NULL,
          KEY raw_entries_wallet (wallet_id, id),
          KEY raw_entries_transaction (transaction_id)
        ) ENGINE=InnoDB
        """,
    ]

    /// Creates the tables when missing.
    static func create(on pool: MariaDBConnectionPool) async throws {
        try await pool.withConnection { connection in
            for statement in statements { try connection.query(statement) }
        }
    }
}
