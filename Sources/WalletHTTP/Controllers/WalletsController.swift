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
        group.route(.post, "/v1/wallets", access: .scope(.walletsWrite), table: table) { request, context in
            try await create(request, context: context)
        }
        group.route(.get, "/v1/wallets", access: .scope(.walletsRead), table: table) { request, context in
            try await list(request, context: context)
        }
        group.route(.get, "/v1/wallets/{id}", access: .scope(.walletsRead), table: table) { _, context in
            try await show(context: context)
        }
        group.route(.get, "/v1/wallets/{id}/entries", access: .scope(.walletsRead), table: table) { request, context in
            try await entries(request, context: context)
        }
        group.route(.get, "/v1/transactions/{id}", access: .scope(.walletsRead), table: table) { _, context in
            try await transaction(context: context)
        }
    }

    func create(_ request: Request, context: WalletRequestContext) async throws -> Response {
        let owner = try context.requirePrincipal()
        var fields = FieldReader(try await JSONBody.read(request, context: context), allowed: ["currency", "owner_ref"])
        let code = fields.string("currency")
        let reference = fields.ownerReference()
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
        let wallet = try await wallets.create(owner: owner, reference: reference, currency: currency)
        return JSONResponse.make(.created) { $0.wallet(wallet) }
    }

    func list(_ request: Request, context: WalletRequestContext) async throws -> Response {
        let owner = try context.requirePrincipal()
        let query = try PageQuery(request, defaultSize: .largest, filters: ["owner_ref"]) { WalletID($0) }
        let reference = try query.filters["owner_ref"].map { text throws(Problem) in
            guard let reference = OwnerReference(text) else {
                throw Problem.invalidRequest([.init(name: "owner_ref", reason: OwnerReference.rule)])
            }
            return reference
        }
        let page = try await wallets.wallets(ownedBy: owner, reference: reference, pageSize: query.pageSize, after: query.cursor)
        return JSONResponse.make(.ok) { json in
            json.page(page.wallets, nextCursor: page.nextCursor?.rawValue) { $0.wallet($1) }
        }
    }

    func show(context: WalletRequestContext) async throws -> Response {
        let wallet = try await wallets.wallet(try context.walletID(), ownedBy: try context.requirePrincipal())
        return JSONResponse.make(.ok) { $0.wallet(wallet) }
    }

    func entries(_ request: Request, context: WalletRequestContext) async throws -> Response {
        let owner = try context.requirePrincipal()
        let id = try context.walletID()
        let query = try PageQuery(request, defaultSize: .default) { EntryCursor(encoded: $0) }
        let page = try await wallets.entries(of: id, ownedBy: owner, pageSize: query.pageSize, after: query.cursor)
        return JSONResponse.make(.ok) { $0.entryPage(page) }
    }

    func transaction(context: WalletRequestContext) async throws -> Response {
        let viewer = try context.requirePrincipal()
        guard let text = context.parameters.get("id"), let id = TransactionID(text) else {
            throw WalletError.transactionNotFound
        }
        let transaction = try await wallets.transaction(id, visibleTo: viewer)
        return JSONResponse.make(.ok) { $0.transaction(transaction, viewer: viewer) }
    }
}

extension OwnerReference {
    /// What a valid reference is, for problem answers.
    static let rule = "must be 1 to \(maximumLength) visible ASCII characters (no spaces)"
}

extension FieldReader {
    /// The optional `owner_ref` field.
    mutating func ownerReference() -> OwnerReference? {
        guard let text = optionalString("owner_ref") else { return nil }
        guard let reference = OwnerReference(text) else {
            invalid("owner_ref", OwnerReference.rule)
            return nil
        }
        return reference
    }
}

extension WalletRequestContext {
    /// The `{id}` path parameter as a wallet id; a malformed id is answered like an unknown one.
    func walletID(_ parameter: String = "id") throws -> WalletID {
        guard let text = parameters.get(parameter), let id = WalletID(text) else { throw WalletError.walletNotFound }
        return id
    }
}
