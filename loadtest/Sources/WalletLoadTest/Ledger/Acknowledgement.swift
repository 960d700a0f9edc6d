/// What a `201 Created` for a money movement says (or `GET /v1/transactions/{id}` reads back): the transaction's
/// id, the hold it captures, and its legs.
public struct Acknowledgement: Hashable, Sendable {
    /// One leg of the transaction: its effect on one wallet, or on the external account.
    public struct Entry: Hashable, Sendable {
        /// The wallet; nil for the external account (`"account": "external"`).
        public let walletID: String?
        /// Signed minor units: negative for a debit.
        public let amount: Int64
        /// The wallet's balance after the leg; nil for the external account and for another principal's wallet.
        public let balanceAfter: Int64?

        public init(walletID: String?, amount: Int64, balanceAfter: Int64?) {
            self.walletID = walletID
            self.amount = amount
            self.balanceAfter = balanceAfter
        }

        /// A leg of the external account.
        public static func external(_ amount: Int64) -> Entry { Entry(walletID: nil, amount: amount, balanceAfter: nil) }

        /// The account's name in failure messages and comparisons: the wallet id, or `external`.
        public var accountName: String { walletID ?? Acknowledgement.externalAccountName }
    }

    /// A leg as compared: its account's name and its signed amount.
    public struct Leg: Hashable, Sendable {
        /// The wallet id, or `external`.
        public let account: String
        /// Signed minor units: negative for a debit.
        public let amount: Int64

        public init(account: String, amount: Int64) {
            self.account = account
            self.amount = amount
        }
    }

    /// How the external account is named in comparisons and failure messages.
    public static let externalAccountName = "external"

    public let transactionID: String
    public let entries: [Entry]
    /// The hold a capture captured; nil for the other movements.
    public let holdID: String?

    public init(transactionID: String, entries: [Entry], holdID: String? = nil) {
        self.transactionID = transactionID
        self.entries = entries
        self.holdID = holdID
    }

    /// The sum of the legs: zero for every transaction of a double-entry ledger.
    public var legSum: Int64 { entries.reduce(0) { $0 &+ $1.amount } }

    /// The legs in order, as compared.
    public var legs: [Leg] { entries.map { Leg(account: $0.accountName, amount: $0.amount) } }

    /// How many legs are on each wallet: the entries the transaction puts in each wallet's history.
    public var entryCountsByWallet: [String: Int] {
        Dictionary(entries.compactMap { $0.walletID.map { ($0, 1) } }, uniquingKeysWith: +)
    }

    /// The signed amount per account (wallet id or `external`).
    public var amountsByAccount: [String: Int64] {
        Dictionary(entries.map { ($0.accountName, $0.amount) }, uniquingKeysWith: +)
    }
}
