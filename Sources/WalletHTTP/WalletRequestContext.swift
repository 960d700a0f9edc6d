public import Hummingbird
import Logging
import NIOCore
public import WalletCore

/// The per-request context of every route: Hummingbird's core context plus the request's id.
public struct WalletRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The `Request-Id` of this request: the client's own, or one the service made.
    public var requestID: String
    /// Who the request acts for, set by ``BearerAuthenticator`` on routes that need one.
    public var principal: AuthenticatedPrincipal?

    /// Filled in by inner layers for the request's log line; shared by every copy of this context.
    public let logRecord = RequestLogRecord()
    /// The peer's address, kept as NIO gives it; only sign-in turns it into text.
    private let remoteAddress: SocketAddress?
    /// The client's IP address (`unknown` when the channel has none, as in router tests).
    public var clientAddress: String { remoteAddress?.ipAddress ?? "unknown" }

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.requestID = ""
        self.remoteAddress = source.channel.remoteAddress
    }

    /// Who the request acts for; routes behind ``BearerAuthenticator`` always have one.
    public func requireAuthenticated() throws(Problem) -> AuthenticatedPrincipal {
        guard let principal else { throw Problem.unauthorized() }
        return principal
    }

    /// The id of the principal the request acts for.
    public func requirePrincipal() throws(Problem) -> PrincipalID {
        try requireAuthenticated().id
    }
}
