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
        /// The money that came in from the external account: deposits, and reversals of withdrawals.
        public let deposits: Int128
        /// The money that went out to it: withdrawals, and reversals of deposits.
        public let withdrawals: Int128
        /// The balance of the currency's external account: the sum of its entries, the mirror of ``balances``.
        public let externalBalance: Int128
        /// The sum of every entry in this currency, the external account's included.
        public let entryTotal: Int128

        /// Whether the money adds up: the balances equal deposits minus withdrawals (transfers move money, never
        /// make it), all entries sum to zero, and the external account mirrors the wallets.
        public var isBalanced: Bool { balances == deposits - withdrawals && entryTotal == 0 && externalBalance == -balances }
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
            /// An entry's time is before the time of the wallet's entry before it.
            case entryTimeDecreased(firstBadEntry: Int64)
            /// The stored `held` is not the sum of the wallet's active holds.
            case heldDiffersFromHolds(held: Int64, activeHolds: Int128)
            /// The holds that have not reached their time reserve more than the balance: available would be negative.
            case holdsExceedBalance(balance: Int64, unexpiredHolds: Int128)

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
                case .entryTimeDecreased(let entry):
                    "entry \(entry) is dated before the wallet's entry before it"
                case .heldDiffersFromHolds(let held, let activeHolds):
                    "held \(held) but its active holds sum to \(activeHolds)"
                case .holdsExceedBalance(let balance, let unexpiredHolds):
                    "balance \(balance) but its holds reserve \(unexpiredHolds)"
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
        /// Its amount (nil: its legs are in several currencies).
        public let amount: Int64?
        /// Its legs.
        public let legs: Int
        /// How many entries it has (every transaction needs two per leg: a transfer's on different wallets, a
        /// deposit's and a withdrawal's one on the wallet and one on the external account).
        public let entryCount: Int
        /// The sum of its entries (0 for every transaction).
        public let entryTotal: Int128
        /// Entries on wallets of another currency than the transaction's.
        public let foreignCurrencyEntries: Int

        /// What its reversals moved back.
        public let reversedAmount: Int128

        public var description: String {
            "transaction \(transactionID) (\(type) of \(amount.map(String.init) ?? "several currencies"), \(legs) legs) has \(entryCount) "
                + "entries summing to \(entryTotal)"
                + (foreignCurrencyEntries > 0 ? ", \(foreignCurrencyEntries) of them in another currency" : "")
                + (reversedAmount > 0 ? ", reversed by \(reversedAmount)" : "")
        }
    }

    /// A fault of the outbox or the feed.
    public enum EventProblem: Hashable, Sendable, CustomStringConvertible {
        /// The positions given are not exactly those from `expectedFirst` to `expectedLast`.
        case feedHasGap(positioned: Int64, expectedFirst: Int64, expectedLast: Int64, lowest: Int64?, highest: Int64?)
        /// A transaction or hold (`id`) has `written` events where it should have `expected`.
        case changeEventsMissing(id: String, expected: Int, written: Int)
        /// An event names no transaction, hold or wallet that exists.
        case eventOfNothing(eventID: String)
        /// A pending webhook delivery's event is gone: the purge must keep every event a pending delivery needs.
        case deliveryWithoutEvent(eventID: String, endpointID: String)

        public var description: String {
            switch self {
            case .feedHasGap(let positioned, let first, let last, let lowest, let highest):
                "the feed has \(positioned) positions from \(lowest.map(String.init) ?? "none") to \(highest.map(String.init) ?? "none"), "
                    + "not exactly \(first) to \(last)"
            case .changeEventsMissing(let id, let expected, let written): "\(id) has \(written) events, not \(expected)"
            case .eventOfNothing(let id): "event \(id) names nothing that exists"
            case .deliveryWithoutEvent(let event, let endpoint): "the pending delivery of event \(event) to \(endpoint) has no event to send"
            }
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
    /// Faults of the outbox and the feed (at most ``LedgerAuditor/maximumReportedProblems``).
    public let eventProblems: [EventProblem]
    /// True when there were more offenders than the report lists.
    public let isTruncated: Bool

    /// Currencies whose money does not add up (see ``CurrencyTotals/isBalanced``).
    public var unbalancedCurrencies: [CurrencyTotals] { currencies.filter { !$0.isBalanced } }

    /// True when every invariant holds.
    public var isClean: Bool { walletProblems.isEmpty && transactionProblems.isEmpty && unbalancedCurrencies.isEmpty && eventProblems.isEmpty }

    /// A human-readable report: one line per count and currency, then one per problem.
    public var description: String {
        var lines = ["\(walletCount) wallets, \(transactionCount) transactions, \(entryCount) entries"]
        for totals in currencies {
            let flows = "deposits \(totals.deposits) − withdrawals \(totals.withdrawals); external account \(totals.externalBalance)"
            let mismatch = totals.isBalanced ? "" : " — MISMATCH: entries sum to \(totals.entryTotal), wallets hold \(totals.balances - (totals.deposits - totals.withdrawals)) more than deposits minus withdrawals"
            lines.append("\(totals.currency): \(totals.walletCount) wallets hold \(totals.balances); \(flows)\(mismatch)")
        }
        for problem in walletProblems {
            lines.append("wallet \(problem.walletID): " + problem.reasons.map(\.description).joined(separator: "; "))
        }
        lines.append(contentsOf: transactionProblems.map(\.description))
        lines.append(contentsOf: eventProblems.map { "events: \($0)" })
        if isTruncated { lines.append("(more problems than listed)") }
        lines.append(isClean ? "ledger OK" : "ledger BROKEN")
        return lines.joined(separator: "\n")
    }
}
