import MariaDB

/// Checks the ledger's invariants over the whole database, in one consistent snapshot:
/// - every wallet's balance equals the sum of its entries and its latest entry's `balance_after`, and each
///   entry's `balance_after` is the running sum of the wallet's entries up to it;
/// - no balance is negative;
/// - per currency, the balances add up to deposits minus withdrawals;
/// - every transaction's entries sum to 0 for a transfer (two entries, two wallets) and to ±amount for a
///   deposit or withdrawal (one entry), all in the transaction's currency.
public struct LedgerAuditor: Sendable {
    /// The most offending wallets, and separately transactions, that one report lists.
    public static let maximumReportedProblems = 1000

    /// Every SQL statement of the audit.
    enum SQL {
        static let counts = """
            SELECT (SELECT COUNT(*) FROM wallets) AS wallets, (SELECT COUNT(*) FROM transactions) AS transactions,
                (SELECT COUNT(*) FROM entries) AS entries
            """
        static let balancesByCurrency = "SELECT currency, COUNT(*) AS wallets, SUM(balance) AS balances FROM wallets GROUP BY currency"
        static let flowsByCurrency = """
            SELECT currency, SUM(IF(type = 'deposit', amount, 0)) AS deposits, SUM(IF(type = 'withdrawal', amount, 0)) AS withdrawals
            FROM transactions GROUP BY currency
            """
        static let walletMismatches = """
            SELECT w.id, w.balance, COALESCE(totals.entry_total, 0) AS entry_total, latest.balance_after AS latest_balance_after
            FROM wallets w
            LEFT JOIN (SELECT wallet_id, SUM(amount) AS entry_total, MAX(id) AS latest_entry FROM entries GROUP BY wallet_id) totals
                ON totals.wallet_id = w.id
            LEFT JOIN entries latest ON latest.id = totals.latest_entry
            WHERE w.balance < 0 OR w.balance <> COALESCE(totals.entry_total, 0) OR w.balance <> COALESCE(latest.balance_after, 0)
            ORDER BY w.id
            LIMIT ?
            """
        static let brokenBalanceChains = """
            SELECT wallet_id, MIN(id) AS first_bad_entry
            FROM (SELECT wallet_id, id, balance_after, SUM(amount) OVER (PARTITION BY wallet_id ORDER BY id) AS running_total FROM entries) chain
            WHERE balance_after <> running_total
            GROUP BY wallet_id
            ORDER BY wallet_id
            LIMIT ?
            """
        static let transactionMismatches = """
            SELECT t.id, t.type, t.amount, COUNT(e.id) AS entry_count, COALESCE(SUM(e.amount), 0) AS entry_total,
                COALESCE(SUM(w.currency <> t.currency), 0) AS foreign_entries
            FROM transactions t
            LEFT JOIN entries e ON e.transaction_id = t.id
            LEFT JOIN wallets w ON w.id = e.wallet_id
            GROUP BY t.id, t.type, t.amount
            HAVING foreign_entries <> 0 OR NOT (
                (t.type = 'transfer' AND entry_count = 2 AND COUNT(DISTINCT e.wallet_id) = 2 AND entry_total = 0 AND MAX(e.amount) = t.amount)
                OR (t.type = 'deposit' AND entry_count = 1 AND entry_total = t.amount)
                OR (t.type = 'withdrawal' AND entry_count = 1 AND entry_total = -t.amount))
            ORDER BY t.id
            LIMIT ?
            """
    }

    let database: WalletDatabase

    /// Runs every check and returns the report; ``AuditReport/isClean`` says whether the ledger is sound.
    public func run() async throws -> AuditReport {
        try await database.withTransaction(.repeatableRead) { connection in
            try Self.audit(on: connection)
        }
    }

    private static func audit(on connection: MariaDBConnection) throws -> AuditReport {
        // One more row than reported shows whether the list was cut.
        let problemLimit = MariaDBValue.int(Int64(maximumReportedProblems + 1))
        guard let counts = try connection.execute(SQL.counts).first else {
            throw MariaDBError(kind: .decoding, message: "the audit's count query returned no row")
        }

        var flows: [String: (deposits: Int128, withdrawals: Int128)] = [:]
        for row in try connection.execute(SQL.flowsByCurrency).rows {
            flows[try row.decode(String.self, "currency")] = (try row.wideInteger("deposits"), try row.wideInteger("withdrawals"))
        }
        var balances: [String: (wallets: Int, balances: Int128)] = [:]
        for row in try connection.execute(SQL.balancesByCurrency).rows {
            balances[try row.decode(String.self, "currency")] = (try row.decode(Int.self, "wallets"), try row.wideInteger("balances"))
        }
        let currencies = Set(flows.keys).union(balances.keys).sorted().map { code in
            AuditReport.CurrencyTotals(
                currency: code,
                walletCount: balances[code]?.wallets ?? 0,
                balances: balances[code]?.balances ?? 0,
                deposits: flows[code]?.deposits ?? 0,
                withdrawals: flows[code]?.withdrawals ?? 0
            )
        }

        var reasons: [String: [AuditReport.WalletProblem.Reason]] = [:]
        let mismatches = try connection.execute(SQL.walletMismatches, [problemLimit]).rows
        for row in mismatches {
            let id = try row.decode(String.self, "id")
            let balance = try row.decode(Int64.self, "balance")
            let entryTotal = try row.wideInteger("entry_total")
            let latest = try row.decode(Int64?.self, "latest_balance_after")
            if balance < 0 { reasons[id, default: []].append(.negativeBalance(balance: balance)) }
            if Int128(balance) != entryTotal {
                reasons[id, default: []].append(.balanceDiffersFromEntries(balance: balance, entryTotal: entryTotal))
            }
            if balance != latest ?? 0 {
                reasons[id, default: []].append(.balanceDiffersFromLatestEntry(balance: balance, latestBalanceAfter: latest))
            }
        }
        let brokenChains = try connection.execute(SQL.brokenBalanceChains, [problemLimit]).rows
        for row in brokenChains {
            let id = try row.decode(String.self, "wallet_id")
            reasons[id, default: []].append(.balanceChainBroken(firstBadEntry: try row.decode(Int64.self, "first_bad_entry")))
        }
        let walletProblems = reasons.keys.sorted().prefix(maximumReportedProblems).map { id in
            AuditReport.WalletProblem(walletID: id, reasons: reasons[id]!)
        }

        let transactionRows = try connection.execute(SQL.transactionMismatches, [problemLimit]).rows
        let transactionProblems = try transactionRows.prefix(maximumReportedProblems).map { row in
            AuditReport.TransactionProblem(
                transactionID: try row.decode(String.self, "id"),
                type: try row.decode(String.self, "type"),
                amount: try row.decode(Int64.self, "amount"),
                entryCount: try row.decode(Int.self, "entry_count"),
                entryTotal: try row.wideInteger("entry_total"),
                foreignCurrencyEntries: Int(try row.wideInteger("foreign_entries"))
            )
        }

        return AuditReport(
            walletCount: try counts.decode(Int.self, "wallets"),
            transactionCount: try counts.decode(Int.self, "transactions"),
            entryCount: try counts.decode(Int.self, "entries"),
            currencies: currencies,
            walletProblems: walletProblems,
            transactionProblems: transactionProblems,
            isTruncated: [mismatches.count, brokenChains.count, transactionRows.count, reasons.count].contains { $0 > maximumReportedProblems }
        )
    }
}
