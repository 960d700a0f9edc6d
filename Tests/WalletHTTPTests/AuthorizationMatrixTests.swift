import Foundation
import HTTPTypes
import Testing
import WalletCore
import WalletHTTP

/// Every route of the service, tried by every kind of caller against an owner's resources: the owner as a user and
/// as an application, another user, an application with every scope, an application with none, another
/// application, a revoked key, an expired key, and no credentials at all. The matrix must name every route in the
/// route table, so a new route cannot be added without deciding who may use it; and whatever the callers do,
/// nothing of the owners' money moves.
@Suite("Authorization matrix")
struct AuthorizationMatrixTests {
    /// Who may use a route, as this test expects it (stated here, independently of the service's own table).
    enum Rule: Sendable {
        /// Open to anyone by design (registration, sign-in, health, metrics, documentation).
        case open
        /// Acts on a resource named in the path: a principal that does not own it gets 404; a key without `scope` 403.
        case ownerOnly(APIKeyScope)
        /// Acts only on the caller's own resources (listing, opening a wallet); a key without `scope` 403.
        case callersOwn(APIKeyScope)
        /// A user's session only (signing out): any API key 403.
        case userSession
        /// An application's key with `scope` only (managing keys): a user 403.
        case application(APIKeyScope)
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
        "DELETE /v1/sessions/current": .userSession,
        "POST /v1/wallets": .callersOwn(.walletsWrite),
        "GET /v1/wallets": .callersOwn(.walletsRead),
        "GET /v1/wallets/{id}": .ownerOnly(.walletsRead),
        "GET /v1/wallets/{id}/entries": .ownerOnly(.walletsRead),
        "GET /v1/wallets/{id}/balance": .ownerOnly(.walletsRead),
        "GET /v1/wallets/{id}/statement": .ownerOnly(.walletsRead),
        "POST /v1/wallets/{id}/deposits": .ownerOnly(.movementsWrite),
        "POST /v1/wallets/{id}/withdrawals": .ownerOnly(.movementsWrite),
        "POST /v1/transfers": .ownerOnly(.movementsWrite),
        "GET /v1/transactions": .callersOwn(.walletsRead),
        "GET /v1/transactions/{id}": .ownerOnly(.walletsRead),
        "POST /v1/transactions": .ownerOnly(.movementsWrite),
        "POST /v1/transactions/{id}/reversals": .ownerOnly(.movementsWrite),
        "POST /v1/wallets/{id}/holds": .ownerOnly(.holdsWrite),
        "GET /v1/wallets/{id}/holds": .ownerOnly(.walletsRead),
        "GET /v1/holds/{id}": .ownerOnly(.walletsRead),
        "POST /v1/holds/{id}/capture": .ownerOnly(.holdsWrite),
        "POST /v1/holds/{id}/void": .ownerOnly(.holdsWrite),
        "GET /v1/events": .callersOwn(.eventsRead),
        "POST /v1/events/{id}/redeliver": .ownerOnly(.webhooksWrite),
        "POST /v1/webhook-endpoints": .callersOwn(.webhooksWrite),
        "GET /v1/webhook-endpoints": .callersOwn(.webhooksWrite),
        "GET /v1/webhook-endpoints/{id}": .ownerOnly(.webhooksWrite),
        "DELETE /v1/webhook-endpoints/{id}": .ownerOnly(.webhooksWrite),
        "POST /v1/webhook-endpoints/{id}/rotate-secret": .ownerOnly(.webhooksWrite),
        "POST /v1/webhook-endpoints/{id}/enable": .ownerOnly(.webhooksWrite),
        "GET /v1/webhook-endpoints/{id}/deliveries": .ownerOnly(.webhooksWrite),
        "POST /v1/api-keys": .application(.keysWrite),
        "GET /v1/api-keys": .application(.keysWrite),
        "DELETE /v1/api-keys/{id}": .application(.keysWrite),
    ]

    /// One kind of caller.
    struct Caller: Sendable {
        var name: String
        var token: String?
        /// The caller is a user (not an application) that is signed in.
        var isUser: Bool
        /// The caller owns the resources the paths name.
        var isOwner: Bool
        /// The caller authenticates at all (a live session or key).
        var authenticates: Bool
        /// The scopes of the caller's key; nil for a user.
        var scopes: Set<APIKeyScope>?
    }

    /// What `caller` must get from `rule`: the status and code, or nil when anything but a refusal of who it is will do.
    static func expected(_ rule: Rule, for caller: Caller) -> (HTTPResponse.Status, String)? {
        if case .open = rule { return nil }
        guard caller.authenticates else { return (.unauthorized, "unauthorized") }
        switch rule {
        case .open: return nil
        case .userSession:
            return caller.isUser ? nil : (.forbidden, "user_session_required")
        case .application(let scope):
            if caller.isUser { return (.forbidden, "api_key_required") }
            return caller.scopes!.contains(scope) ? nil : (.forbidden, "insufficient_scope")
        case .callersOwn(let scope):
            if let scopes = caller.scopes, !scopes.contains(scope) { return (.forbidden, "insufficient_scope") }
            return nil
        case .ownerOnly(let scope):
            if let scopes = caller.scopes, !scopes.contains(scope) { return (.forbidden, "insufficient_scope") }
            return caller.isOwner ? nil : (.notFound, "")
        }
    }

    @Test func everyCallerGetsExactlyWhatItsRoleAllowsAndNoOwnersMoneyMoves() async throws {
        try await APIHarness.run { api in
            // The owners: a user and an application, each with a funded wallet, a deposit and an active hold to name.
            let owner = try await api.signedInUser()
            let ownersWallet = try await api.wallet(owner)
            let ownersDeposit = try #require(try await api.deposit(owner, ownersWallet, 1000).string("id"))
            let ownersHold = try #require(try await Self.hold(api, owner, ownersWallet))
            let app = try await api.application()
            let appKey = try await api.apiKey(for: app)
            let appsWallet = try await api.wallet(appKey)
            let appsDeposit = try #require(try await api.deposit(appKey, appsWallet, 1000).string("id"))
            let appsHold = try #require(try await Self.hold(api, appKey, appsWallet))
            let ownersEndpoint = try #require(try await api.webhookEndpoint(owner).string("id"))
            let appsEndpoint = try #require(try await api.webhookEndpoint(appKey).string("id"))
            let ownersEvent = try #require(try await api.latestEvent(owner))
            let appsEvent = try #require(try await api.latestEvent(appKey))
            let ownersResources = Owned(wallet: ownersWallet, transaction: ownersDeposit, hold: ownersHold, endpoint: ownersEndpoint, event: ownersEvent)
            let appsResources = Owned(wallet: appsWallet, transaction: appsDeposit, hold: appsHold, endpoint: appsEndpoint, event: appsEvent)

            let stranger = try await api.signedInUser()
            let strangersWallet = try await api.wallet(stranger)
            let otherApp = try await api.application()
            let otherAppKey = try await api.apiKey(for: otherApp)
            let noScopesKey = try await api.apiKey(for: try await api.application(), scopes: [.eventsRead])
            let revokedKey = try await api.apiKey(for: app)
            let revokedID = try #require(try await api.send(.get, "/v1/api-keys", token: appKey).json["data"] as? [[String: Any]])
                .last?["id"] as? String
            #expect(try await api.send(.delete, "/v1/api-keys/\(try #require(revokedID))", token: appKey).status == .ok)
            let expiredKey = try await api.apiKey(for: app, expiresAt: Date() - 1)

            let every = Set(APIKeyScope.all)
            let callers: [(Caller, owners: Owned)] = [
                (Caller(name: "the owner (user)", token: owner, isUser: true, isOwner: true, authenticates: true, scopes: nil), ownersResources),
                (Caller(name: "another user", token: stranger, isUser: true, isOwner: false, authenticates: true, scopes: nil), ownersResources),
                (Caller(name: "the owner (application, every scope)", token: appKey, isUser: false, isOwner: true, authenticates: true, scopes: every), appsResources),
                (Caller(name: "another application", token: otherAppKey, isUser: false, isOwner: false, authenticates: true, scopes: every), appsResources),
                (Caller(name: "an application on a user's wallet", token: otherAppKey, isUser: false, isOwner: false, authenticates: true, scopes: every), ownersResources),
                (Caller(name: "a user on an application's wallet", token: stranger, isUser: true, isOwner: false, authenticates: true, scopes: nil), appsResources),
                (Caller(name: "an application with no route's scope", token: noScopesKey, isUser: false, isOwner: false, authenticates: true, scopes: [.eventsRead]), appsResources),
                (Caller(name: "a revoked key", token: revokedKey, isUser: false, isOwner: true, authenticates: false, scopes: every), appsResources),
                (Caller(name: "an expired key", token: expiredKey, isUser: false, isOwner: true, authenticates: false, scopes: every), appsResources),
                (Caller(name: "no credentials", token: nil, isUser: false, isOwner: false, authenticates: false, scopes: nil), ownersResources),
            ]
            let historyBefore = [
                ownersWallet: try await api.send(.get, "/v1/wallets/\(ownersWallet)/entries", token: owner).body,
                appsWallet: try await api.send(.get, "/v1/wallets/\(appsWallet)/entries", token: appKey).body,
            ]
            let holdsBefore = [
                ownersWallet: try await api.send(.get, "/v1/wallets/\(ownersWallet)/holds", token: owner).body,
                appsWallet: try await api.send(.get, "/v1/wallets/\(appsWallet)/holds", token: appKey).body,
            ]

            let routes = api.routes.all
            #expect(Set(routes.map { "\($0.method.rawValue) \($0.path)" }) == Set(Self.rules.keys), "every route has a rule")
            var checked = 0
            for route in routes {
                let name = "\(route.method.rawValue) \(route.path)"
                let rule = try #require(Self.rules[name])
                for (caller, owners) in callers {
                    guard let (status, code) = Self.expected(rule, for: caller) else { continue }
                    // Requests that would do harm if let through: take money out of the owner's wallet, end no session.
                    let id =
                        route.path.hasPrefix("/v1/transactions") ? owners.transaction
                        : route.path.hasPrefix("/v1/holds") ? owners.hold
                        : route.path.hasPrefix("/v1/api-keys") ? "key_00000000000000000000000000"
                        : route.path.hasPrefix("/v1/webhook-endpoints") ? owners.endpoint
                        : route.path.hasPrefix("/v1/events") ? owners.event : owners.wallet
                    // A statement needs its period: without one the answer is 400 whoever asks.
                    let query = route.path.hasSuffix("/statement") ? "?from=2024-06-01T00:00:00Z&to=2024-06-02T00:00:00Z" : ""
                    let path = route.path.replacingOccurrences(of: "{id}", with: id) + query
                    let body: String? =
                        switch name {
                        case "POST /v1/transfers": #"{"from_wallet_id":"\#(owners.wallet)","to_wallet_id":"\#(strangersWallet)","amount":500}"#
                        case "POST /v1/transactions":
                            #"{"legs":[{"from_wallet_id":"\#(owners.wallet)","to_wallet_id":"\#(strangersWallet)","amount":500}]}"#
                        case "POST /v1/wallets": #"{"currency":"USD"}"#
                        case "POST /v1/api-keys": #"{"scopes":["keys:write"]}"#
                        // Capture the whole hold into the stranger's wallet; void it (the body may be `{}`).
                        case "POST /v1/holds/{id}/capture": #"{"to_wallet_id":"\#(strangersWallet)"}"#
                        case "POST /v1/holds/{id}/void": "{}"
                        case "POST /v1/webhook-endpoints": #"{"url":"https://example.com/hooks","event_types":["wallet.created"]}"#
                        case "POST /v1/webhook-endpoints/{id}/rotate-secret", "POST /v1/webhook-endpoints/{id}/enable", "POST /v1/events/{id}/redeliver": "{}"
                        case _ where route.method == .post: #"{"amount":500}"#
                        default: nil
                        }
                    let key = route.method == .post ? UUID().uuidString : nil
                    let answer = try await api.send(route.method, path, token: caller.token, key: key, json: body)
                    #expect(answer.status == status, "\(name) by \(caller.name): \(answer.status) \(answer.json)")
                    if !code.isEmpty {
                        #expect(answer.code == code, "\(name) by \(caller.name): \(answer.json)")
                    } else {
                        let notFound =
                            route.path.hasPrefix("/v1/holds") ? ["hold_not_found"]
                            : route.path.hasPrefix("/v1/webhook-endpoints") ? ["webhook_endpoint_not_found"]
                            : route.path.hasPrefix("/v1/events") ? ["event_not_found"] : ["wallet_not_found", "not_found"]
                        #expect(notFound.contains(answer.code ?? ""), "\(name) by \(caller.name): \(answer.json)")
                    }
                    if code == "insufficient_scope", let scope = rule.scope {
                        #expect(answer.headers[.wwwAuthenticate]?.contains(scope.name) == true, "\(name): the refusal names \(scope.name)")
                    }
                    checked += 1
                }
            }
            print("authorization matrix: \(routes.count) routes, \(callers.count) callers, \(checked) refusals checked")
            #expect(checked >= 80, "the matrix tried \(checked) refusals")

            let listed = try await api.send(.get, "/v1/wallets", token: stranger)
            #expect(!String(decoding: listed.body, as: UTF8.self).contains(ownersWallet), "a stranger's list holds only their wallets")
            let otherAppsList = try await api.send(.get, "/v1/wallets", token: otherAppKey)
            #expect(!String(decoding: otherAppsList.body, as: UTF8.self).contains(appsWallet), "an application lists only its own wallets")
            #expect(try await api.balance(owner, ownersWallet) == 1000, "nothing of the user's money moved")
            #expect(try await api.balance(appKey, appsWallet) == 1000, "nothing of the application's money moved")
            #expect(try await api.send(.get, "/v1/wallets/\(ownersWallet)/entries", token: owner).body == historyBefore[ownersWallet])
            #expect(try await api.send(.get, "/v1/wallets/\(appsWallet)/entries", token: appKey).body == historyBefore[appsWallet])
            #expect(try await api.balance(stranger, strangersWallet) == 0)
            // The owners' holds are as they were: still active, nothing captured, no hold placed by a caller.
            #expect(try await api.send(.get, "/v1/wallets/\(ownersWallet)/holds", token: owner).body == holdsBefore[ownersWallet])
            #expect(try await api.send(.get, "/v1/wallets/\(appsWallet)/holds", token: appKey).body == holdsBefore[appsWallet])
            #expect(try await api.send(.get, "/v1/holds/\(ownersHold)", token: owner).string("status") == "active")
            #expect(try await api.send(.get, "/v1/holds/\(appsHold)", token: appKey).string("status") == "active")
            #expect(try await api.send(.get, "/v1/wallets/\(ownersWallet)", token: owner).int("available") == 500)
            // The owners' endpoints are there still, never rotated (no previous secret) and nobody else's.
            for (token, endpoint) in [(owner, ownersEndpoint), (appKey, appsEndpoint)] {
                let kept = try await api.send(.get, "/v1/webhook-endpoints/\(endpoint)", token: token)
                #expect(kept.status == .ok && kept.json["previous_secret_expires_at"] is NSNull, "\(kept.json)")
            }
            #expect((try await api.send(.get, "/v1/webhook-endpoints", token: stranger).json["data"] as? [Any])?.isEmpty == true)
        }
    }

    /// What an owner has for the paths to name.
    struct Owned {
        var wallet: String
        var transaction: String
        var hold: String
        var endpoint: String
        var event: String
    }

    /// Places a hold of 500 on `wallet`; returns its id.
    static func hold(_ api: APIHarness, _ token: String, _ wallet: String) async throws -> String? {
        let placed = try await api.send(.post, "/v1/wallets/\(wallet)/holds", token: token, key: UUID().uuidString, json: #"{"amount":500}"#)
        #expect(placed.status == .created, "\(placed.json)")
        return placed.string("id")
    }
}

extension AuthorizationMatrixTests.Rule {
    var scope: APIKeyScope? {
        switch self {
        case .open, .userSession: nil
        case .ownerOnly(let scope), .callersOwn(let scope), .application(let scope): scope
        }
    }
}
