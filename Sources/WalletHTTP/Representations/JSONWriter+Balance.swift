public import WalletCore

extension JSONWriter {
    /// `{"wallet_id","currency","balance","at","as_of_entry_id","as_of_transaction_id"}`; the last two are null
    /// before the wallet's first entry.
    public mutating func balance(_ balance: BalanceAtInstant) {
        object { json in
            json.field("wallet_id", balance.walletID.rawValue)
            json.field("currency", balance.currency.code)
            json.field("balance", balance.balance)
            json.field("at", timestamp: balance.at)
            json.field("as_of_entry_id", balance.entryID)
            json.field("as_of_transaction_id", balance.transactionID?.rawValue)
        }
    }
}
