import WalletCore

/// Reads wallets back through WalletCore: the wallet, then its whole history a page at a time.
struct DirectLedgerReader: LedgerReader {
    /// The most pages read for one wallet (ten million entries).
    static let maximumPages = 100_000

    let service: WalletService
    let population: DirectPopulation

    func read(walletAt index: Int) async throws -> ObservedWallet {
        let id = population.walletIDs[index]
        let owner = population.owners[index]
        let wallet = try await service.wallets.wallet(id, ownedBy: owner)
        var transactionIDs: [String] = []
        var cursor: EntryCursor?
        let pageSize = PageSize(PageSize.validRange.upperBound)!
        for _ in 0..<Self.maximumPages {
            let page = try await service.wallets.entries(of: id, ownedBy: owner, pageSize: pageSize, after: cursor)
            transactionIDs += page.entries.map(\.transactionID.rawValue)
            cursor = page.nextCursor
            if cursor == nil { return ObservedWallet(balance: wallet.balance, transactionIDs: transactionIDs) }
        }
        throw RunError("wallet \(id): history longer than \(Self.maximumPages) pages")
    }
}
