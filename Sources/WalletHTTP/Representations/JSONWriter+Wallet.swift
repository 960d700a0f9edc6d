public import WalletCore

/// The JSON shapes of the API's resources, as the OpenAPI document describes them.
extension JSONWriter {
    /// `{"id","email","created_at"}`.
    public mutating func user(_ user: User) {
        object { json in
            json.field("id", user.id.rawValue)
            json.field("email", user.email.normalized)
            json.field("created_at", timestamp: user.createdAt)
        }
    }

    /// A page of a list: `{"data":[…],"next_cursor"}`, each item written by `item`.
    public mutating func page<Item>(_ items: [Item], nextCursor: String?, item: (inout JSONWriter, Item) -> Void) {
        object { json in
            json.key("data")
            json.array { json in
                for element in items { item(&json, element) }
            }
            json.key("next_cursor")
            if let nextCursor { json.string(nextCursor) } else { json.null() }
        }
    }

    /// `{"id","owner_ref","currency","balance","version","created_at","updated_at"}`.
    public mutating func wallet(_ wallet: Wallet) {
        object { json in
            json.field("id", wallet.id.rawValue)
            json.key("owner_ref")
            if let reference = wallet.ownerReference { json.string(reference.rawValue) } else { json.null() }
            json.field("currency", wallet.currency.code)
            json.field("balance", wallet.balance)
            json.field("version", wallet.version)
            json.field("created_at", timestamp: wallet.createdAt)
            json.field("updated_at", timestamp: wallet.updatedAt)
        }
    }

    /// `{"id","type","amount","currency","created_at","entries":[{"wallet_id","amount","balance_after"}…]}`.
    public mutating func transaction(_ transaction: LedgerTransaction) {
        object { json in
            json.field("id", transaction.id.rawValue)
            json.field("type", transaction.type.rawValue)
            json.field("amount", transaction.amount.minorUnits)
            json.field("currency", transaction.currency.code)
            json.field("created_at", timestamp: transaction.createdAt)
            json.key("entries")
            json.array { json in
                for entry in transaction.entries {
                    json.object { json in
                        json.field("wallet_id", entry.walletID.rawValue)
                        json.field("amount", entry.amount)
                        json.field("balance_after", entry.balanceAfter)
                    }
                }
            }
        }
    }

    /// `{"data":[{"transaction_id","type","amount","balance_after","created_at"}…],"next_cursor":string|null}`.
    public mutating func entryPage(_ page: EntryPage) {
        object { json in
            json.key("data")
            json.array { json in
                for entry in page.entries {
                    json.object { json in
                        json.field("transaction_id", entry.transactionID.rawValue)
                        json.field("type", entry.type.rawValue)
                        json.field("amount", entry.amount)
                        json.field("balance_after", entry.balanceAfter)
                        json.field("created_at", timestamp: entry.createdAt)
                    }
                }
            }
            json.key("next_cursor")
            if let cursor = page.nextCursor { json.string(cursor.encoded) } else { json.null() }
        }
    }
}
