public import Hummingbird
public import WalletCore

/// Wallets and their history: `POST /v1/wallets`, `GET /v1/wallets`, `GET /v1/wallets/{id}`,
/// `GET /v1/wallets/{id}/entries`, and `GET /v1/transactions/{id}`.
public struct WalletsController: Sendable {
    let wallets: WalletStore

    public init(wallets: WalletStore) {
        self.wallets = wallets
    }

    public func addRoutes(to group: RouterGroup<WalletRequestContext>, table: RouteTable) {
        group.post("/v1/wallets") { request, context in try await create(request, context: context) }
        group.get("/v1/wallets") { request, context in try await list(request, context: context) }
        group.get("/v1/wallets/{id}") { _, context in try await show(context: context) }
        group.get("/v1/wallets/{id}/entries") { request, context in try await entries(request, context: context) }
        group.get("/v1/transactions/{id}") { _, context in try await transaction(context: context) }
        table.add(.post, "/v1/wallets")
        table.add(.get, "/v1/wallets")
        table.add(.get, "/v1/wallets/{id}")
        table.add(.get, "/v1/wallets/{id}/entries")
        table.add(.get, "/v1/transactions/{id}")
    }

    func create(_ request: Request, context: WalletRequestContext) async throws -> Response {
        let owner = try context.requireUser()
        var fields = FieldReader(try await JSONBody.read(request, context: context), allowed: ["currency"])
        let code = fields.string("currency")
        try fields.finish()
        guard let code, let currency = Currency(code: code) else {
            throw Problem(
                .badRequest,
                code: "invalid_currency",
                title: "Invalid currency",
                detail: "\(code ?? "") is not an active ISO 4217 currency code (such as USD or EUR).",
                invalidParameters: [.init(name: "currency", reason: "must be an active ISO 4217 code")]
            )
        }
        let wallet = try await wallets.create(owner: owner, currency: currency)
        return JSONResponse.make(.created) { $0.wallet(wallet) }
    }

    func list(_ request: Request, context: WalletRequestContext) async throws -> Response {
        let owner = try context.requireUser()
        let query = try PageQuery(request, defaultSize: .largest) { WalletID($0) }
        let page = try await wallets.wallets(ownedBy: owner, pageSize: query.pageSize, after: query.cursor)
        return JSONResponse.make(.ok) { json in
            json.object { json in
                json.key("data")
                json.array { json in
                    for wallet in page.wallets { json.wallet(wallet) }
                }
                json.key("next_cursor")
                if let next = page.nextCursor { json.string(next.rawValue) } else { json.null() }
            }
        }
    }

    func show(context: WalletRequestContext) async throws -> Response {
        let wallet = try await wallets.wallet(try context.walletID(), ownedBy: try context.requireUser())
        return JSONResponse.make(.ok) { $0.wallet(wallet) }
    }

    func entries(_ request: Request, context: WalletRequestContext) async throws -> Response {
        let owner = try context.requireUser()
        let id = try context.walletID()
        let query = try PageQuery(request, defaultSize: .default) { EntryCursor(encoded: $0) }
        let page = try await wallets.entries(of: id, ownedBy: owner, pageSize: query.pageSize, after: query.cursor)
        return JSONResponse.make(.ok) { $0.entryPage(page) }
    }

    func transaction(context: WalletRequestContext) async throws -> Response {
        let viewer = try context.requireUser()
        guard let text = context.parameters.get("id"), let id = TransactionID(text) else {
            throw WalletError.transactionNotFound
        }
        let transaction = try await wallets.transaction(id, visibleTo: viewer)
        return JSONResponse.make(.ok) { $0.transaction(transaction) }
    }
}

extension WalletRequestContext {
    /// The signed-in user's id.
    func requireUser() throws -> UserID {
        guard let id = UserID(try requireUserID()) else { throw Problem.unauthorized() }
        return id
    }

    /// The `{id}` path parameter as a wallet id; a malformed id is answered like an unknown one.
    func walletID(_ parameter: String = "id") throws -> WalletID {
        guard let text = parameters.get(parameter), let id = WalletID(text) else { throw WalletError.walletNotFound }
        return id
    }
}
