import Foundation
public import Hummingbird
public import WalletCore

/// An application's own API keys, managed with a key that has `keys:write`: `POST /v1/api-keys`,
/// `GET /v1/api-keys` and `DELETE /v1/api-keys/{id}`. A backend rotates its keys without shell access: it creates
/// the new key, switches to it, and revokes the old one; both work in between.
public struct APIKeysController: Sendable {
    let keys: APIKeyStore

    public init(keys: APIKeyStore) {
        self.keys = keys
    }

    public func addRoutes(to group: RouterGroup<WalletRequestContext>, table: RouteTable) {
        group.route(.post, "/v1/api-keys", access: .applicationScope(.keysWrite), table: table) { request, context in
            try await create(request, context: context)
        }
        group.route(.get, "/v1/api-keys", access: .applicationScope(.keysWrite), table: table) { request, context in
            try await list(request, context: context)
        }
        group.route(.delete, "/v1/api-keys/{id}", access: .applicationScope(.keysWrite), table: table) { _, context in
            try await revoke(context: context)
        }
    }

    /// Issues a key for the caller's application with at most the caller's own scopes.
    func create(_ request: Request, context: WalletRequestContext) async throws -> Response {
        let caller = try context.requireAPIKey()
        var fields = FieldReader(try await JSONBody.read(request, context: context), allowed: ["scopes", "expires_in_seconds", "rate_limit"])
        let scopes = fields.scopes()
        let lifetime = fields.optionalInteger("expires_in_seconds", in: 1...APIKeyStore.maximumLifetimeSeconds)
        let rateLimit = fields.rateLimit()
        try fields.finish()
        guard let scopes else { throw Problem.invalidRequest(fields.invalidParameters) }
        // A key can hand on only what it holds: no key can mint a more powerful one.
        if let missing = scopes.subtracting(caller.scopes).sorted().first {
            throw Problem(
                .forbidden,
                code: "insufficient_scope",
                title: "Insufficient scope",
                detail: "A key can grant only scopes it has itself; this one lacks \(missing.name).",
                invalidParameters: [.init(name: "scopes", reason: "\(missing.name) is not a scope of the calling key")]
            )
        }
        let now = Date()
        let issued = try await keys.issue(
            for: caller.applicationID,
            scopes: scopes,
            expiresAt: lifetime.map { now.addingTimeInterval(TimeInterval($0)) },
            rateLimit: rateLimit,
            now: now
        )
        return JSONResponse.make(.created) { $0.apiKey(issued.key, secret: issued.secret) }
    }

    /// The caller's application's keys, revoked and expired ones too, in creation order.
    func list(_ request: Request, context: WalletRequestContext) async throws -> Response {
        let caller = try context.requireAPIKey()
        let query = try PageQuery(request, defaultSize: .largest) { APIKeyID($0) }
        let page = try await keys.keys(of: caller.applicationID, pageSize: query.pageSize, after: query.cursor)
        return JSONResponse.make(.ok) { json in
            json.page(page.keys, nextCursor: page.nextCursor?.rawValue) { $0.apiKey($1) }
        }
    }

    /// Revokes one of the caller's application's keys (the calling key too); it stops working at once.
    func revoke(context: WalletRequestContext) async throws -> Response {
        let caller = try context.requireAPIKey()
        guard let text = context.parameters.get("id"), let id = APIKeyID(text) else { throw WalletError.apiKeyNotFound }
        let key = try await keys.revoke(id, of: caller.applicationID)
        return JSONResponse.make(.ok) { $0.apiKey(key) }
    }
}

extension WalletRequestContext {
    /// The API key the request authenticated with; routes with ``RouteAccess/applicationScope(_:)`` always have one.
    func requireAPIKey() throws(Problem) -> APIKey {
        guard let key = try requireAuthenticated().apiKey else { throw Problem.apiKeyRequired() }
        return key
    }
}

extension FieldReader {
    /// The required `scopes` field: a non-empty array of scope names.
    mutating func scopes() -> Set<APIKeyScope>? {
        guard let names = stringArray("scopes") else { return nil }
        var scopes = Set<APIKeyScope>()
        for name in names {
            guard let scope = APIKeyScope(name) else {
                invalid("scopes", "\(name) is not a scope (\(APIKeyScope.all.map(\.name).joined(separator: ", ")))")
                return nil
            }
            scopes.insert(scope)
        }
        guard !scopes.isEmpty else {
            invalid("scopes", "must name at least one scope")
            return nil
        }
        return scopes
    }

    /// The optional `rate_limit` field: `{"burst": 1…, "per_second": >0}`, or nil for the service's default.
    mutating func rateLimit() -> MovementRateLimit? {
        guard let members = optionalObject("rate_limit") else { return nil }
        var limit = FieldReader(.object(members), allowed: ["burst", "per_second"])
        let burst = limit.integer("burst", in: 1...Int64(MovementRateLimit.maximumBurst))
        let perSecond = limit.positiveNumber("per_second", atMost: MovementRateLimit.maximumPerSecond)
        for parameter in limit.invalidParameters { invalid("rate_limit.\(parameter.name)", parameter.reason) }
        guard let burst, let perSecond else { return nil }
        return MovementRateLimit(burst: Int(burst), perSecond: perSecond)
    }
}
