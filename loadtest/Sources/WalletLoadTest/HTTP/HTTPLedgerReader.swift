import NIOHTTP1

/// Reads wallets back over HTTP: `GET /v1/wallets/{id}`, then the whole history through
/// `GET /v1/wallets/{id}/entries?limit=100`, following `next_cursor`.
struct HTTPLedgerReader: LedgerReader {
    /// Entries per history page: the contract's largest.
    static let pageSize = 100
    /// The most pages read for one wallet (ten million entries).
    static let maximumPages = 100_000

    let client: WalletHTTPClient
    let population: HTTPPopulation

    func read(walletAt index: Int) async throws -> ObservedWallet {
        let id = population.walletIDs[index]
        let token = population.ownerTokens[index]
        guard let wallet = try await client.expect(200, .GET, "/v1/wallets/\(id)", token: token).decode(ResponseBodies.Wallet.self) else {
            throw RunError("GET /v1/wallets/\(id): no balance in the answer")
        }
        var transactionIDs: [String] = []
        var cursor: String?
        for _ in 0..<Self.maximumPages {
            let query = "limit=\(Self.pageSize)" + (cursor.map { "&cursor=\($0)" } ?? "")
            let response = try await client.expect(200, .GET, "/v1/wallets/\(id)/entries?\(query)", token: token)
            guard let page = response.decode(ResponseBodies.EntryPage.self) else {
                throw RunError("GET /v1/wallets/\(id)/entries: unreadable page")
            }
            transactionIDs += page.data.map(\.transactionID)
            cursor = page.nextCursor
            if cursor == nil { return ObservedWallet(balance: wallet.balance, transactionIDs: transactionIDs) }
        }
        throw RunError("wallet \(id): history longer than \(Self.maximumPages) pages")
    }
}
