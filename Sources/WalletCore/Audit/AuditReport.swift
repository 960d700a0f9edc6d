/// What ``LedgerAuditor`` found: counts, money by currency, and every invariant that does not hold.
///
/// Ids and currency codes are reported as stored, unparsed, so that even a corrupted row can be named.
public struct AuditReport: Hashable, Sendable, CustomStringConvertible {
    /// The money of one currency.
    public struct CurrencyTotals: Hashable, Sendable {
        /// The currency code as stored.
        public let currency: String
        /// Wallets in this currency.
        public let walletCount: Int
        /// The sum of their balances.
        public let balances: Int128
        /// The sum of all deposits in this currency.
        public let deposits: Int128
        /// The sum of all withdrawals in this currency.
        public let withdrawals: Int128

        /// Whether the balances add up to deposits minus withdrawals (transfers move money, never make it).
        public var isBalanced: Bool { balances == deposits - withdrawals }
    }

    /// A wallet that breaks an invariant, and how.
    public struct WalletProblem: Hashable, Sendable {
        /// One broken invariant.
        public enum Reason: Hashable, Sendable, CustomStringConvertible {
            /// The balance is below zero.
            case negativeBalance(balance: Int64)
            /// The balance is not the sum of the wallet's entries.
            case balanceDiffersFromEntries(balance: Int64, entryTotal: Int128)
            /// The balance is not the latest entry's `balance_after` (nil: the wallet has no entries).
            case balanceDiffersFromLatestEntry(balance: Int64, latestBalanceAfter: Int64?)
            /// An entry's `balance_after` is not the running sum of the wallet's entries up to it.
            case balanceChainBroken(firstBadEntry: Int64)

            public var description: String {
                switch self {
                case .negativeBalance(let balance):
                    "negative balance \(balance)"
                case .balanceDiffersFromEntries(let balance, let entryTotal):
                    "balance \(balance) but its entries sum to \(entryTotal)"
                case .balanceDiffersFromLatestEntry(let balance, let latest?):
                    "balance \(balance) but its latest entry leaves \(latest)"
                case .balanceDiffersFromLatestEntry(let balance, nil):
                    "balance \(balance) but it has no entries"
                case .balanceChainBroken(let entry):
                    "entry \(entry) records a balance_after that is not the running sum of the entries before it"
                }
            }
        }

        /// The wallet's id as stored.
        public let walletID: String
        /// Everything wrong with it.
        public let reasons: [Reason]
    }

    /// A transaction whose entries do not match it.
    public struct TransactionProblem: Hashable, Sendable, CustomStringConvertible {
        /// The transaction's id as stored.
        public let transactionID: String
        /// Its type as stored.
        public let type: String
        /// Its amount.
        public let amount: Int64
        /// How many entries it has (a deposit or withdrawal needs one, a transfer two on different wallets).
        public let entryCount: Int
        /// The sum of its entries (a deposit needs `+amount`, a withdrawal `−amount`, a transfer 0).
        public let entryTotal: Int128
        /// Entries on wallets of another currency than the transaction's.
        public let foreignCurrencyEntries: Int

        public var description: String {
            "transaction \(transactionID) (\(type) of \(amount)) has \(entryCount) entries summing to \(entryTotal)"
                + (foreignCurrencyEntries > 0 ? ", \(foreignCurrencyEntries) of them in another currency" : "")
        }
    }

    /// Wallets in the database.
    public let walletCount: Int
    /// Ledger transactions in the database.
    public let transactionCount: Int
    /// Ledger entries in the database.
    public let entryCount: Int
    /// Money by currency, ordered by code.
    public let currencies: [CurrencyTotals]
    /// Offending wallets, ordered by id (at most ``LedgerAuditor/maximumReportedProblems``).
    public let walletProblems: [WalletProblem]
    /// Offending transactions, ordered by id (at most ``LedgerAuditor/maximumReportedProblems``).
    public let transactionProblems: [TransactionProblem]
    /// True when there were more offenders than the report lists.
    public let isTruncated: Bool

    /// Currencies whose balances do not add up to deposits minus withdrawals.
    public var unbalancedCurrencies: [CurrencyTotals] { currencies.filter { !$0.isBalanced } }

    /// True when every invariant holds.
    public var isClean: Bool { walletProblems.isEmpty && transactionProblems.isEmpty && unbalancedCurrencies.isEmpty }

    /// A human-readable report: one line per count and currency, then one per problem.
    public var description: String {
        var lines = ["\(walletCount) wallets, \(transactionCount) transactions, \(entryCount) entries"]
        for totals in currencies {
            let flows = "deposits \(totals.deposits) − withdrawals \(totals.withdrawals)"
            let mismatch = totals.isBalanced ? "" : " — MISMATCH of \(totals.balances - (totals.deposits - totals.withdrawals))"
            lines.append("\(totals.currency): \(totals.walletCount) wallets hold \(totals.balances); \(flows)\(mismatch)")
        }
        for problem in walletProblems {
            lines.append("wallet \(problem.walletID): " + problem.reasons.map(\.description).joined(separator: "; "))
        }
        lines.append(contentsOf: transactionProblems.map(\.description))
        if isTruncated { lines.append("(more problems than listed)") }
        lines.append(isClean ? "ledger OK" : "ledger BROKEN")
        return lines.joined(separator: "\n")
    }
}
