public import Hummingbird
public import WalletCore

/// The caller's transactions, found by wallet, type, reference and time: `GET /v1/transactions`.
public struct TransactionSearchController: Sendable {
    let search: TransactionSearch

    public init(search: TransactionSearch) {
        self.search = search
    }

    public func addRoutes(to group: RouterGroup<WalletRequestContext>, table: RouteTable) {
        group.route(.get, "/v1/transactions", access: .scope(.walletsRead), table: table) { request, context in
            let viewer = try context.requirePrincipal()
            let query = try TransactionSearchQuery(request)
            let page = try await search.transactions(
                visibleTo: viewer, matching: query.filter, pageSize: query.page.pageSize, after: query.page.cursor
            )
            return JSONResponse.make(.ok) { json in
                json.page(page.transactions, nextCursor: page.nextCursor?.encoded) { $0.transaction($1, viewer: viewer) }
            }
        }
    }
}
