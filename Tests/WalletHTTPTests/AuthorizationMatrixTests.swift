import Foundation
import HTTPTypes
import Testing
import WalletHTTP

/// Every route of the service, tried by another user against the owner's resources and without any token: the
/// stranger gets 404 (or 401 without a token) and nothing of the owner's changes. The matrix must name every route
/// in the route table, so a new route cannot be added without deciding who may use it.
@Suite("Authorization matrix")
struct AuthorizationMatrixTests {
    /// What a route must answer a stranger and an anonymous caller.
    enum Rule: Sendable {
        /// Acts on a resource named in the path: a stranger gets 404, no token 401.
        case ownerOnly
        /// Acts only on the caller's own resources (listing, opening a wallet, signing out), no token 401.
        case callersOwn
        /// Open to anyone by design (registration, sign-in, health, metrics, documentation).
        case open
    }

    static let rules: [String: Rule] = [
        "GET /livez": .open,
        "GET /readyz": .open,
        "GET /metrics": .open,
        "GET /openapi.yaml": .open,
        "GET /docs": .open,
        "GET /docs/assets/{file}": .open,
        "POST /v1/users": .open,
        "POST /v1/sessions": .open,
        "DELETE /v1/sessions/current": .callersOwn,
        "POST /v1/wallets": .callersOwn,
        "GET /v1/wallets": .callersOwn,
        "GET /v1/wallets/{id}": .ownerOnly,
        "GET /v1/wallets/{id}/entries": .ownerOnly,
        "POST /v1/wallets/{id}/deposits": .ownerOnly,
        "POST /v1/wallets/{id}/withdrawals": .ownerOnly,
        "POST /v1/transfers": .ownerOnly,
        "GET /v1/transactions/{id}": .ownerOnly,
    ]

    @Test func strangersAndAnonymousCallersCannotReachOrChangeAnotherUsersMoney() async throws {
        try await APIHarness.run { api in
            let owner = try await api.signedInUser()
            let wallet = try await api.wallet(owner)
            let deposit = try await api.deposit(owner, wallet, 1000)
            let transaction = try #require(deposit.string("id"))
            let stranger = try await api.signedInUser()
            let strangersWallet = try await api.wallet(stranger)
            let before = try await api.send(.get, "/v1/wallets/\(wallet)/entries", token: owner)

            let routes = api.routes.all
            #expect(Set(routes.map { "\($0.method.rawValue) \($0.path)" }) == Set(Self.rules.keys), "every route has a rule")
            var tried = 0
            for route in routes {
                let name = "\(route.method.rawValue) \(route.path)"
                guard let rule = Self.rules[name] else { continue }
                let id = route.path.hasPrefix("/v1/transactions") ? transaction : wallet
                let path = route.path.replacingOccurrences(of: "{id}", with: id)
                let body: String? =
                    switch name {
                    case "POST /v1/transfers": #"{"from_wallet_id":"\#(wallet)","to_wallet_id":"\#(strangersWallet)","amount":500}"#
                    case "POST /v1/wallets": #"{"currency":"USD"}"#
                    case _ where route.method == .post: #"{"amount":500}"#
                    default: nil
                    }
                let key = route.method == .post ? UUID().uuidString : nil
                switch rule {
                case .ownerOnly:
                    let answer = try await api.send(route.method, path, token: stranger, key: key, json: body)
                    #expect(answer.status == .notFound, "\(name) by a stranger: \(answer.status)")
                    #expect(answer.code == "wallet_not_found" || answer.code == "transaction_not_found" || answer.code == "not_found", "\(name): \(answer.json)")
                    let anonymous = try await api.send(route.method, path, key: key, json: body)
                    #expect(anonymous.status == .unauthorized, "\(name) without a token: \(anonymous.status)")
                    tried += 1
                case .callersOwn:
                    let anonymous = try await api.send(route.method, path, key: key, json: body)
                    #expect(anonymous.status == .unauthorized, "\(name) without a token: \(anonymous.status)")
                case .open:
                    continue
                }
            }
            #expect(tried == Self.rules.values.filter { if case .ownerOnly = $0 { true } else { false } }.count)

            let listed = try await api.send(.get, "/v1/wallets", token: stranger)
            #expect(!String(decoding: listed.body, as: UTF8.self).contains(wallet), "a stranger's list holds only their wallets")
            #expect(try await api.balance(owner, wallet) == 1000, "nothing of the owner's money moved")
            let after = try await api.send(.get, "/v1/wallets/\(wallet)/entries", token: owner)
            #expect(after.body == before.body, "the owner's history is unchanged")
            #expect(try await api.balance(stranger, strangersWallet) == 0)
        }
    }
}
