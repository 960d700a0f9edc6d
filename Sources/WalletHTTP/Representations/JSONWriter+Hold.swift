public import WalletCore

extension JSONWriter {
    /// `{"id","wallet_id","amount","currency","status","captured_amount","transaction_id","reference","description",
    /// "metadata","expires_at","created_at","resolved_at"}`.
    public mutating func hold(_ hold: Hold) {
        object { json in
            json.field("id", hold.id.rawValue)
            json.field("wallet_id", hold.walletID.rawValue)
            json.field("amount", hold.amount.minorUnits)
            json.field("currency", hold.currency.code)
            json.field("status", hold.status.rawValue)
            json.field("captured_amount", hold.capturedAmount)
            json.field("transaction_id", hold.transactionID?.rawValue)
            json.details(hold.details)
            json.field("expires_at", timestamp: hold.expiresAt)
            json.field("created_at", timestamp: hold.createdAt)
            json.key("resolved_at")
            if let resolvedAt = hold.resolvedAt { json.timestamp(resolvedAt) } else { json.null() }
        }
    }
}
