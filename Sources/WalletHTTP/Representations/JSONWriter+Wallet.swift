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

    /// `{"id","owner_ref","currency","balance","held","available","version","created_at","updated_at"}`.
    public mutating func wallet(_ wallet: Wallet) {
        object { json in
            json.field("id", wallet.id.rawValue)
            json.key("owner_ref")
            if let reference = wallet.ownerReference { json.string(reference.rawValue) } else { json.null() }
            json.field("currency", wallet.currency.code)
            json.field("balance", wallet.balance)
            json.field("held", wallet.held)
            json.field("available", wallet.available)
            json.field("version", wallet.version)
            json.field("created_at", timestamp: wallet.createdAt)
            json.field("updated_at", timestamp: wallet.updatedAt)
        }
    }

    /// `{"id","type","amount","currency","legs","hold_id","reverses","reversed_amount","reversal_ids","reference",
    /// "description","metadata","reason","created_at","entries":[…]}`, as `viewer` may see it: every leg,
    /// `{"account":"wallet","wallet_id","amount","balance_after"}` on the viewer's own wallets, without
    /// `balance_after` on another principal's, and `{"account":"external","amount"}` for the world outside.
    /// `amount` and `currency` are null when the legs are in several currencies.
    public mutating func transaction(_ transaction: LedgerTransaction, viewer: PrincipalID) {
        object { json in
            json.field("id", transaction.id.rawValue)
            json.field("type", transaction.type.rawValue)
            json.field("amount", transaction.amount?.minorUnits)
            json.field("currency", transaction.currency?.code)
            json.field("legs", Int64(transaction.legs))
            json.field("hold_id", transaction.holdID?.rawValue)
            json.field("reverses", transaction.reverses?.rawValue)
            json.field("reversed_amount", transaction.reversedAmount)
            json.key("reversal_ids")
            json.array { json in
                for id in transaction.reversalIDs { json.string(id.rawValue) }
            }
            json.details(transaction.details)
            json.field("reason", transaction.reason?.rawValue)
            json.field("created_at", timestamp: transaction.createdAt)
            json.key("entries")
            json.array { json in
                for entry in transaction.entries {
                    json.object { json in
                        switch entry.account {
                        case .wallet(let id, let owner, let balanceAfter):
                            json.field("account", "wallet")
                            json.field("wallet_id", id.rawValue)
                            json.field("amount", entry.amount)
                            if owner == viewer { json.field("balance_after", balanceAfter) }
                        case .external:
                            json.field("account", "external")
                            json.field("amount", entry.amount)
                        }
                    }
                }
            }
        }
    }

    /// `{"data":[history entry…],"next_cursor":string|null}`, each entry written by ``historyEntry(_:)``.
    public mutating func entryPage(_ page: EntryPage) {
        object { json in
            json.key("data")
            json.array { json in
                for entry in page.entries { json.historyEntry(entry) }
            }
            json.key("next_cursor")
            if let cursor = page.nextCursor { json.string(cursor.encoded) } else { json.null() }
        }
    }

    /// `{"entry_id","transaction_id","type","amount","balance_after","created_at","reference","description",
    /// "metadata"}`: a line of a wallet's history.
    public mutating func historyEntry(_ entry: WalletEntry) {
        object { json in
            json.entryFields(entry)
            json.details(entry.details)
        }
    }

    /// `{"entry_id","transaction_id","type","amount","balance_after","created_at","reference","description"}`: a
    /// line of a statement (whose CSV form has no room for metadata, and so neither has its JSON form).
    public mutating func statementEntry(_ entry: WalletEntry) {
        object { json in
            json.entryFields(entry)
            json.field("reference", entry.details.reference?.rawValue)
            json.field("description", entry.details.description?.rawValue)
        }
    }

    /// The members every line of a wallet's history has.
    private mutating func entryFields(_ entry: WalletEntry) {
        field("entry_id", entry.sequence)
        field("transaction_id", entry.transactionID.rawValue)
        field("type", entry.type.rawValue)
        field("amount", entry.amount)
        field("balance_after", entry.balanceAfter)
        field("created_at", timestamp: entry.createdAt)
    }
}
