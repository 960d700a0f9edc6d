import WalletCore

/// Reads the ledger back through WalletCore, as each wallet's owner: the wallet, its whole history and (when asked)
/// its active holds a page at a time; single holds and transactions.
struct DirectLedgerReader: LedgerReader {
    /// The most pages read for one wallet's history or holds (ten million items).
    static let maximumPages = 100_000

    let service: WalletService
    let population: DirectPopulation

    func read(walletAt index: Int, includingActiveHolds: Bool) async throws -> ObservedWallet {
        let id = population.walletIDs[index]
        let owner = population.owners[index]
        let wallet = try await service.wallets.wallet(id, ownedBy: owner)
        let pageSize = PageSize(PageSize.validRange.upperBound)!
        var transactionIDs: [String] = []
        var cursor: EntryCursor?
        var historyRead = false
        for _ in 0..<Self.maximumPages {
            let page = try await service.wallets.entries(of: id, ownedBy: owner, pageSize: pageSize, after: cursor)
            transactionIDs += page.entries.map(\.transactionID.rawValue)
            cursor = page.nextCursor
            if cursor == nil {
                historyRead = true
                break
            }
        }
        guard historyRead else { throw RunError("wallet \(id): history longer than \(Self.maximumPages) pages") }
        var activeHoldIDs: [String]?
        if includingActiveHolds {
            var ids: [String] = []
            var holdCursor: HoldID?
            var holdsRead = false
            for _ in 0..<Self.maximumPages {
                let page = try await service.holds.holds(of: id, ownedBy: owner, status: .active, pageSize: pageSize, after: holdCursor)
                ids += page.holds.map(\.id.rawValue)
                holdCursor = page.nextCursor
                if holdCursor == nil {
                    holdsRead = true
                    break
                }
            }
            guard holdsRead else { throw RunError("wallet \(id): more than \(Self.maximumPages) pages of active holds") }
            activeHoldIDs = ids
        }
        return ObservedWallet(
            balance: wallet.balance, transactionIDs: transactionIDs, held: wallet.held, available: wallet.available, activeHoldIDs: activeHoldIDs)
    }

    func readHold(_ holdID: String, ownerOfWalletAt index: Int) async throws -> HoldState {
        guard let id = HoldID(holdID) else { throw RunError("\(holdID) is not a hold id") }
        return DirectResponseCodec.holdState(try await service.holds.hold(id, visibleTo: population.owners[index]))
    }

    func readTransaction(_ transactionID: String, ownerOfWalletAt index: Int) async throws -> TransactionReading {
        guard let id = TransactionID(transactionID) else { throw RunError("\(transactionID) is not a transaction id") }
        let transaction = try await service.wallets.transaction(id, visibleTo: population.owners[index])
        return TransactionReading(
            acknowledgement: DirectResponseCodec.acknowledgement(transaction), reversedAmount: transaction.reversedAmount,
            reversalIDs: transaction.reversalIDs.map(\.rawValue))
    }
}
