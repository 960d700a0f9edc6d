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
        group.get("/v1/wallets") { _, context in try await list(context: context) }
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

    func list(context: WalletRequestContext) async throws -> Response {
        let owned = try await wallets.wallets(ownedBy: try context.requireUser())
        return JSONResponse.make(.ok) { json in
            json.object { json in
                json.key("data")
                json.array { json in
                    for wallet in owned { json.wallet(wallet) }
                }
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
        var invalid: [Problem.InvalidParameter] = []
        var pageSize = PageSize.default
        var cursor: EntryCursor?
        for (name, _) in request.uri.queryParameters where name != "limit" && name != "cursor" {
            invalid.append(.init(name: String(name), reason: "is not a known parameter"))
        }
        if let limit = request.uri.queryParameters["limit"] {
            if let value = Int(limit), let size = PageSize(value) {
                pageSize = size
            } else {
                invalid.append(.init(name: "limit", reason: "must be a whole number from \(PageSize.validRange.lowerBound) to \(PageSize.validRange.upperBound)"))
            }
        }
        if let text = request.uri.queryParameters["cursor"] {
            cursor = EntryCursor(encoded: String(text))
            if cursor == nil { invalid.append(.init(name: "cursor", reason: "is not a cursor this service handed out")) }
        }
        guard invalid.isEmpty else { throw Problem.invalidRequest(invalid) }
        let page = try await wallets.entries(of: id, ownedBy: owner, pageSize: pageSize, after: cursor)
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
