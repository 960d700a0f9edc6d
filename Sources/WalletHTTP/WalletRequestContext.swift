public import Hummingbird
import Logging

/// The per-request context of every route: Hummingbird's core context plus the request's id.
public struct WalletRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The `Request-Id` of this request: the client's own, or one the service made.
    public var requestID: String

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.requestID = ""
    }
}
