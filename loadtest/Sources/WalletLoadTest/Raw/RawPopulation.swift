import MariaDB

/// The baseline's wallets: ids `<prefix>-w<n>`, empty, created many per statement.
struct RawPopulation: Sendable {
    /// Wallets inserted per statement.
    static let walletsPerInsert = 500

    /// The start of every wallet id of the run.
    let prefix: String
    /// Wallet ids by workload index.
    let walletIDs: [String]

    static func create(on pool: MariaDBConnectionPool, walletCount: Int, prefix: String) async throws -> RawPopulation {
        let ids = (0..<walletCount).map { "\(prefix)-w\($0)" }
        try await pool.withConnection { connection in
            for start in stride(from: 0, to: ids.count, by: walletsPerInsert) {
                let batch = ids[start..<min(start + walletsPerInsert, ids.count)]
                let rows = Array(repeating: "(?, 0, 0)", count: batch.count).joined(separator: ", ")
                try connection.execute("INSERT INTO raw_wallets (id, balance, version) VALUES " + rows, batch.map { .string($0) })
            }
        }
        return RawPopulation(prefix: prefix, walletIDs: ids)
    }
}
