import Foundation
import MariaDB

/// Checks the ledger's invariants over the whole database, in one consistent snapshot:
/// - every wallet's balance equals the sum of its entries and its latest entry's `balance_after`, and each
///   entry's `balance_after` is the running sum of the wallet's entries up to it;
/// - no balance is negative;
/// - per currency, the balances add up to the money in from the external account minus the money out, all entries (the external account's
///   included) sum to zero, and the external account's balance is minus the wallets';
/// - every transaction has a debit and a credit per leg that sum to zero in its currency (per currency, for one in
///   several), its amount being the sum of its legs: a transfer's on wallets, a deposit's from the external
///   account to a wallet, a withdrawal's the reverse; no transaction is reversed beyond its amount, nor a
///   multi-leg one more than once;
/// - entry times never decrease along a wallet's history;
/// - every wallet's stored `held` equals the sum of its active holds, and the holds that have not reached their
///   time reserve no more than its balance;
/// - the outbox and the feed hold every change's events, with no gap (``eventProblems(on:limit:)``).
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
        /// An entry's currency is its wallet's; the external account's is its transaction's (a transaction in
        /// several currencies has no external leg).
        static let entriesByCurrency = """
            SELECT COALESCE(w.currency, t.currency) AS currency, SUM(e.amount) AS entry_total,
                SUM(IF(e.wallet_id IS NULL, e.amount, 0)) AS external_balance,
                SUM(IF(e.wallet_id IS NULL AND e.amount < 0, -e.amount, 0)) AS money_in,
                SUM(IF(e.wallet_id IS NULL AND e.amount > 0, e.amount, 0)) AS money_out
            FROM entries e JOIN transactions t ON t.id = e.transaction_id LEFT JOIN wallets w ON w.id = e.wallet_id
            GROUP BY COALESCE(w.currency, t.currency)
            """
        static let heldMismatches = """
            SELECT w.id, w.balance, w.held, COALESCE(active.total, 0) AS active_holds, COALESCE(active.unexpired, 0) AS unexpired_holds
            FROM wallets w
            LEFT JOIN (SELECT wallet_id, SUM(amount) AS total, SUM(IF(expires_at > ?, amount, 0)) AS unexpired
                FROM holds WHERE status = 'active' GROUP BY wallet_id) active ON active.wallet_id = w.id
            WHERE w.held <> COALESCE(active.total, 0) OR w.balance < COALESCE(active.unexpired, 0)
            ORDER BY w.id
            LIMIT ?
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
        /// A wallet's entries whose time is before the entry before them.
        static let decreasingEntryTimes = """
            SELECT wallet_id, MIN(id) AS first_bad_entry
            FROM (SELECT wallet_id, id, created_at, LAG(created_at) OVER (PARTITION BY wallet_id ORDER BY id) AS previous_created_at
                FROM entries WHERE wallet_id IS NOT NULL) chain
            WHERE created_at < previous_created_at
            GROUP BY wallet_id
            ORDER BY wallet_id
            LIMIT ?
            """
        /// Transactions whose entries do not make `legs` legs summing to zero in their currency (per currency, for
        /// one in several), of the shape of their type, or that were reversed beyond their amount (a multi-leg
        /// one more than once).
        static let transactionMismatches = """
            SELECT t.id, t.type, t.amount, t.legs, COUNT(e.id) AS entry_count, COALESCE(SUM(e.amount), 0) AS entry_total,
                COALESCE(SUM(w.currency <> t.currency), 0) AS foreign_entries, COALESCE(MAX(r.reversed), 0) AS reversed
            FROM transactions t
            LEFT JOIN entries e ON e.transaction_id = t.id
            LEFT JOIN wallets w ON w.id = e.wallet_id
            LEFT JOIN (SELECT reverses, SUM(amount) AS reversed, COUNT(*) AS reversals FROM transactions
                WHERE reverses IS NOT NULL GROUP BY reverses) r ON r.reverses = t.id
            GROUP BY t.id, t.type, t.amount, t.legs
            HAVING entry_count <> 2 * t.legs OR entry_total <> 0 OR foreign_entries <> 0
                OR (t.amount IS NOT NULL AND SUM(IF(e.amount > 0, e.amount, 0)) <> t.amount)
                OR (t.amount IS NULL AND t.id IN (SELECT e2.transaction_id FROM entries e2 JOIN wallets w2 ON w2.id = e2.wallet_id
                    WHERE e2.transaction_id = t.id GROUP BY w2.currency HAVING SUM(e2.amount) <> 0))
                OR (t.type IN ('deposit', 'withdrawal') AND (t.legs <> 1 OR COUNT(DISTINCT e.wallet_id) <> 1
                    OR SUM(IF(e.wallet_id IS NULL, e.amount, 0)) <> IF(t.type = 'deposit', -t.amount, t.amount)))
                OR (t.type = 'transfer' AND (SUM(e.wallet_id IS NULL) <> 0 OR (t.legs = 1 AND COUNT(DISTINCT e.wallet_id) <> 2)))
                OR COALESCE(MAX(r.reversed), 0) > COALESCE(t.amount, 0) OR (t.legs > 1 AND COALESCE(MAX(r.reversals), 0) > 1)
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

        var entries: [String: (total: Int128, external: Int128, in: Int128, out: Int128)] = [:]
        for row in try connection.execute(SQL.entriesByCurrency).rows {
            entries[try row.decode(String.self, "currency")] = (
                try row.wideInteger("entry_total"), try row.wideInteger("external_balance"), try row.wideInteger("money_in"),
                try row.wideInteger("money_out")
            )
        }
        var balances: [String: (wallets: Int, balances: Int128)] = [:]
        for row in try connection.execute(SQL.balancesByCurrency).rows {
            balances[try row.decode(String.self, "currency")] = (try row.decode(Int.self, "wallets"), try row.wideInteger("balances"))
        }
        let currencies = Set(balances.keys).union(entries.keys).sorted().map { code in
            AuditReport.CurrencyTotals(
                currency: code,
                walletCount: balances[code]?.wallets ?? 0,
                balances: balances[code]?.balances ?? 0,
                deposits: entries[code]?.in ?? 0,
                withdrawals: entries[code]?.out ?? 0,
                externalBalance: entries[code]?.external ?? 0,
                entryTotal: entries[code]?.total ?? 0
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
        let decreasingTimes = try connection.execute(SQL.decreasingEntryTimes, [problemLimit]).rows
        for row in decreasingTimes {
            let id = try row.decode(String.self, "wallet_id")
            reasons[id, default: []].append(.entryTimeDecreased(firstBadEntry: try row.decode(Int64.self, "first_bad_entry")))
        }
        let heldMismatches = try connection.execute(SQL.heldMismatches, [.date(Date()), problemLimit]).rows
        for row in heldMismatches {
            let id = try row.decode(String.self, "id")
            let held = try row.decode(Int64.self, "held")
            let active = try row.wideInteger("active_holds")
            let unexpired = try row.wideInteger("unexpired_holds")
            let balance = try row.decode(Int64.self, "balance")
            if Int128(held) != active { reasons[id, default: []].append(.heldDiffersFromHolds(held: held, activeHolds: active)) }
            if Int128(balance) < unexpired { reasons[id, default: []].append(.holdsExceedBalance(balance: balance, unexpiredHolds: unexpired)) }
        }
        let walletProblems = reasons.keys.sorted().prefix(maximumReportedProblems).map { id in
            AuditReport.WalletProblem(walletID: id, reasons: reasons[id]!)
        }

        let transactionRows = try connection.execute(SQL.transactionMismatches, [problemLimit]).rows
        let transactionProblems = try transactionRows.prefix(maximumReportedProblems).map { row in
            AuditReport.TransactionProblem(
                transactionID: try row.decode(String.self, "id"),
                type: try row.decode(String.self, "type"),
                amount: try row.decode(Int64?.self, "amount"),
                legs: try row.decode(Int.self, "legs"),
                entryCount: try row.decode(Int.self, "entry_count"),
                entryTotal: try row.wideInteger("entry_total"),
                foreignCurrencyEntries: Int(try row.wideInteger("foreign_entries")),
                reversedAmount: try row.wideInteger("reversed")
            )
        }

        let events = try eventProblems(on: connection, limit: problemLimit)

        return AuditReport(
            walletCount: try counts.decode(Int.self, "wallets"),
            transactionCount: try counts.decode(Int.self, "transactions"),
            entryCount: try counts.decode(Int.self, "entries"),
            currencies: currencies,
            walletProblems: walletProblems,
            transactionProblems: transactionProblems,
            eventProblems: events.problems,
            isTruncated: events.truncated || [mismatches.count, brokenChains.count, decreasingTimes.count, heldMismatches.count, transactionRows.count, reasons.count].contains { $0 > maximumReportedProblems }
        )
    }
}
