import HTTPTypes
import Logging
public import Hummingbird

/// Lets a request through only with `Authorization: Bearer <token>` of a live session, and records its user.
///
/// The token is hashed and looked up by its hash; a missing, malformed, unknown, expired or ended token gets
/// `401 unauthorized` with `WWW-Authenticate: Bearer`.
public struct BearerAuthenticator: RouterMiddleware {
    public typealias Context = WalletRequestContext
    /// Finds the user of a live session by the token's hash, or nil.
    public typealias SessionLookup = @Sendable (_ tokenHash: String) async throws -> String?

    /// The longest token accepted; real tokens are 43 characters.
    public static let maximumTokenLength = 512

    let lookup: SessionLookup

    public init(lookup: @escaping SessionLookup) {
        self.lookup = lookup
    }

    public func handle(
        _ request: Request,
        context: WalletRequestContext,
        next: (Request, WalletRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let token = Self.bearerToken(request.headers[.authorization]) else { throw Problem.unauthorized() }
        let hash = SessionToken.hash(token)
        guard let userID = try await lookup(hash) else { throw Problem.unauthorized() }
        var context = context
        context.userID = userID
        context.sessionTokenHash = hash
        context.logger[metadataKey: "user_id"] = .string(userID)
        context.logRecord.userID = userID
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
            detail: "This route needs Authorization: Bearer <token> with a token from POST /v1/sessions that has not expired.",
            headers: headers
        )
    }
}
