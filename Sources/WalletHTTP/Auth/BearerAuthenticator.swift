import HTTPTypes
import Logging
public import Hummingbird
import WalletCore

/// Lets a request through only with `Authorization: Bearer <token>` of a live session or a live API key (`wk_…`),
/// and records who it acts for.
///
/// The token is hashed and looked up by its hash; a missing, malformed, unknown, expired, ended or revoked token
/// gets `401 unauthorized` with `WWW-Authenticate: Bearer`.
public struct BearerAuthenticator: RouterMiddleware {
    public typealias Context = WalletRequestContext
    /// Finds the principal of a live session or API key by the token's hash, or nil. `isAPIKey` tells which the
    /// token looks like (its `wk_` prefix), so that one lookup is made.
    public typealias PrincipalLookup = @Sendable (_ tokenHash: String, _ isAPIKey: Bool) async throws -> AuthenticatedPrincipal?

    /// The longest token accepted; real tokens are 43 characters.
    public static let maximumTokenLength = 512

    let lookup: PrincipalLookup

    public init(lookup: @escaping PrincipalLookup) {
        self.lookup = lookup
    }

    public func handle(
        _ request: Request,
        context: WalletRequestContext,
        next: (Request, WalletRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let token = Self.bearerToken(request.headers[.authorization]) else { throw Problem.unauthorized() }
        guard let principal = try await lookup(SecretToken.hash(token), token.hasPrefix(APIKey.secretPrefix)) else {
            throw Problem.unauthorized()
        }
        var context = context
        context.principal = principal
        context.logRecord.principal = principal
        switch principal.credential {
        case .session: context.logger[metadataKey: "user_id"] = .string(principal.id.rawValue)
        case .apiKey(let key):
            context.logger[metadataKey: "application_id"] = .string(principal.id.rawValue)
            context.logger[metadataKey: "api_key_id"] = .string(key.id.rawValue)
        }
        return try await next(request, context)
    }

    /// The token of an `Authorization: Bearer …` value (scheme case-insensitive), or nil.
    static func bearerToken(_ value: String?) -> String? {
        guard let value else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingWhitespace()
        guard !token.isEmpty, token.utf8.count <= maximumTokenLength, token.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            return nil
        }
        return String(token)
    }
}

extension Problem {
    /// `401 unauthorized` with `WWW-Authenticate: Bearer`.
    public static func unauthorized() -> Problem {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = "Bearer"
        return Problem(
            .unauthorized,
            code: "unauthorized",
            title: "Unauthorized",
            detail: "This route needs Authorization: Bearer <token> with a token from POST /v1/sessions that has not expired, "
                + "or an API key (wk_…) that is neither revoked nor expired.",
            headers: headers
        )
    }
}
