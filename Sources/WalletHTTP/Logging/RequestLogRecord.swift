import Synchronization

/// What the inner layers learn about a request (who made it, how many transactions its movement took, how it
/// ended), for the one log line ``RequestLogMiddleware`` writes when it is answered. Shared by every copy of the
/// request's context.
public final class RequestLogRecord: Sendable {
    struct State {
        var principal: AuthenticatedPrincipal?
        var attempts: Int?
        var outcome: String?
    }

    private let state = Mutex(State())

    public init() {}

    /// Who the request acts for.
    public var principal: AuthenticatedPrincipal? {
        get { state.withLock { $0.principal } }
        set { state.withLock { $0.principal = newValue } }
    }

    /// Records how a money movement went: its database transactions, and `committed`, `refused` or `replayed`.
    public func movement(attempts: Int?, outcome: String) {
        state.withLock { state in
            state.attempts = attempts
            state.outcome = outcome
        }
    }

    var snapshot: State { state.withLock { $0 } }
}
