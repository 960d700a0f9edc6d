import HTTPTypes
public import WalletCore

/// Who may call a route: the one rule of each route, declared where the route is added (``RouterGroup/route``) and
/// recorded in the ``RouteTable``.
public enum RouteAccess: Sendable, Hashable {
    /// Anyone, without credentials (health, metrics, documentation, registration, sign-in).
    case open
    /// A signed-in user only (ending the session); an API key gets `403 user_session_required`.
    case userSession
    /// A signed-in user, or an application whose key has the scope (else `403 insufficient_scope`).
    case scope(APIKeyScope)
    /// An application whose key has the scope (managing API keys); a user gets `403 api_key_required`.
    case applicationScope(APIKeyScope)

    /// Throws the problem that refuses `principal` this route, or returns when it may go on. Authentication (who
    /// the principal is) has happened before; this is authorization (what it may do).
    public func authorize(_ principal: AuthenticatedPrincipal?) throws(Problem) {
        switch self {
        case .open:
            return
        case .userSession:
            guard let principal else { throw Problem.unauthorized() }
            guard case .session = principal.credential else { throw Problem.userSessionRequired() }
        case .scope(let scope):
            guard let principal else { throw Problem.unauthorized() }
            guard principal.has(scope) else { throw Problem.insufficientScope(scope) }
        case .applicationScope(let scope):
            guard let principal else { throw Problem.unauthorized() }
            guard let key = principal.apiKey else { throw Problem.apiKeyRequired() }
            guard key.scopes.contains(scope) else { throw Problem.insufficientScope(scope) }
        }
    }
}

extension Problem {
    /// `403 insufficient_scope`, naming the scope, with the RFC 6750 `WWW-Authenticate` error.
    public static func insufficientScope(_ scope: APIKeyScope) -> Problem {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = #"Bearer error="insufficient_scope", scope="\#(scope.name)""#
        return Problem(
            .forbidden,
            code: "insufficient_scope",
            title: "Insufficient scope",
            detail: "This API key lacks the scope \(scope.name), which this route needs.",
            invalidParameters: [.init(name: "scope", reason: "\(scope.name) is required")],
            headers: headers
        )
    }

    /// `403 user_session_required`: the route acts on a user's session, which an API key does not have.
    public static func userSessionRequired() -> Problem {
        Problem(
            .forbidden,
            code: "user_session_required",
            title: "User session required",
            detail: "This route ends a user's session; an API key has none (revoke keys with DELETE /v1/api-keys/{id})."
        )
    }

    /// `403 api_key_required`: the route manages an application's keys, which a user session cannot.
    public static func apiKeyRequired() -> Problem {
        Problem(
            .forbidden,
            code: "api_key_required",
            title: "API key required",
            detail: "This route manages an application's API keys; call it with an API key that has the scope keys:write."
        )
    }
}
