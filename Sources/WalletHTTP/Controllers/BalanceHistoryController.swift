import Foundation
public import Hummingbird
public import WalletCore

/// A wallet's balance over time: `GET /v1/wallets/{id}/balance?at=` and `GET /v1/wallets/{id}/statement`.
public struct BalanceHistoryController: Sendable {
    let balances: BalanceHistory

    public init(balances: BalanceHistory) {
        self.balances = balances
    }

    public func addRoutes(to group: RouterGroup<WalletRequestContext>, table: RouteTable) {
        group.route(.get, "/v1/wallets/{id}/balance", access: .scope(.walletsRead), table: table) { request, context in
            let owner = try context.requirePrincipal()
            let wallet = try context.walletID()
            var query = try QueryParameters(request, allowed: ["at"])
            let at = query.instant("at", rounding: .down)
            try query.finish()
            let balance = try await balances.balance(of: wallet, ownedBy: owner, at: at ?? Date())
            return JSONResponse.make(.ok) { $0.balance(balance) }
        }
        group.route(.get, "/v1/wallets/{id}/statement", access: .scope(.walletsRead), table: table) { request, context in
            let owner = try context.requirePrincipal()
            let wallet = try context.walletID()
            let query = try StatementQuery(request)
            let statement = try await balances.statement(of: wallet, ownedBy: owner, period: query.period)
            return StatementResponse.make(statement, format: query.format, balances: balances, logger: context.logger)
        }
    }
}
