import NIOHTTP1

/// Reads the ledger back over HTTP, as each wallet's owner: `GET /v1/wallets/{id}`, the whole history through
/// `GET /v1/wallets/{id}/entries?limit=100` and, when asked, the active holds through
/// `GET /v1/wallets/{id}/holds?status=active&limit=100`, following `next_cursor`; `GET /v1/holds/{id}` and
/// `GET /v1/transactions/{id}`.
struct HTTPLedgerReader: LedgerReader {
    /// Entries or holds per page: the contract's largest.
    static let pageSize = 100
    /// The most pages read for one wallet's history or holds (ten million items).
    static let maximumPages = 100_000

    let client: WalletHTTPClient
    let population: HTTPPopulation

    func read(walletAt index: Int, includingActiveHolds: Bool) async throws -> ObservedWallet {
        let id = population.walletIDs[index]
        let token = population.ownerTokens[index]
        guard let wallet = try await client.expect(200, .GET, "/v1/wallets/\(id)", token: token).decode(ResponseBodies.Wallet.self) else {
            throw RunError("GET /v1/wallets/\(id): no balance in the answer")
        }
        let transactionIDs = try await pages("/v1/wallets/\(id)/entries?", token: token, as: ResponseBodies.EntryPage.self) {
            ($0.data.map(\.transactionID), $0.nextCursor)
        }
        var activeHoldIDs: [String]?
        if includingActiveHolds {
            activeHoldIDs = try await pages("/v1/wallets/\(id)/holds?status=active&", token: token, as: ResponseBodies.HoldPage.self) {
                ($0.data.map(\.id), $0.nextCursor)
            }
        }
        return ObservedWallet(
            balance: wallet.balance, transactionIDs: transactionIDs, held: wallet.held, available: wallet.available, activeHoldIDs: activeHoldIDs)
    }

    func readHold(_ holdID: String, ownerOfWalletAt index: Int) async throws -> HoldState {
        let response = try await client.expect(200, .GET, "/v1/holds/\(holdID)", token: population.ownerTokens[index])
        guard let hold = response.decode(ResponseBodies.Hold.self) else { throw RunError("GET /v1/holds/\(holdID): unreadable hold") }
        return hold.state
    }

    func readTransaction(_ transactionID: String, ownerOfWalletAt index: Int) async throws -> TransactionReading {
        let response = try await client.expect(200, .GET, "/v1/transactions/\(transactionID)", token: population.ownerTokens[index])
        guard let transaction = response.decode(ResponseBodies.Transaction.self), let acknowledgement = transaction.acknowledgement else {
            throw RunError("GET /v1/transactions/\(transactionID): unreadable transaction")
        }
        return TransactionReading(
            acknowledgement: acknowledgement, reversedAmount: transaction.reversedAmount ?? 0, reversalIDs: transaction.reversalIDs ?? [])
    }

    /// Every item of a paged list at `prefix` (ending in `?` or `&`), `limit=100`, following `next_cursor`.
    private func pages<Page: Decodable>(
        _ prefix: String, token: String, as type: Page.Type, items: (Page) -> ([String], String?)
    ) async throws -> [String] {
        var all: [String] = []
        var cursor: String?
        for _ in 0..<Self.maximumPages {
            let query = "limit=\(Self.pageSize)" + (cursor.map { "&cursor=\($0)" } ?? "")
            let response = try await client.expect(200, .GET, prefix + query, token: token)
            guard let page = response.decode(Page.self) else { throw RunError("GET \(prefix + query): unreadable page") }
            let (pageItems, next) = items(page)
            all += pageItems
            cursor = next
            if cursor == nil { return all }
        }
        throw RunError("GET \(prefix): longer than \(Self.maximumPages) pages")
    }
}
