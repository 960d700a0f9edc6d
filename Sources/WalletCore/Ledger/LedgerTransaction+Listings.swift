extension LedgerTransaction {
    /// Where each entry lists the transaction (the `listed_wallet_id` and `listed_owner_id` columns): the last
    /// entry of each wallet names the wallet, the last entry on each owner's wallets names the owner, the others
    /// name nothing. So a wallet's, or an owner's, transactions are each listed once.
    var listings: [(wallet: WalletID?, owner: PrincipalID?)] {
        var lastOfWallet: [WalletID: Int] = [:]
        var lastOfOwner: [PrincipalID: Int] = [:]
        for (index, entry) in entries.enumerated() {
            if let wallet = entry.walletID { lastOfWallet[wallet] = index }
            if let owner = entry.owner { lastOfOwner[owner] = index }
        }
        return entries.indices.map { index in
            let entry = entries[index]
            return (
                wallet: entry.walletID.flatMap { lastOfWallet[$0] == index ? $0 : nil },
                owner: entry.owner.flatMap { lastOfOwner[$0] == index ? $0 : nil }
            )
        }
    }
}
