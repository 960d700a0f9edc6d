public import Hummingbird
import Synchronization

/// Caps the requests an instance works on at once: beyond ``limit`` a request is answered at once with
/// `503 overloaded` and `Retry-After`, before its body is read or the database is touched, so that a burst queues
/// in clients (which retry with their idempotency keys) instead of in memory and in the connection pool.
///
/// The health and metrics routes are never refused: an overloaded instance is still alive, and its metrics show why.
public final class InFlightLimitMiddleware: RouterMiddleware, Sendable {
    public typealias Context = WalletRequestContext

    /// The default cap on requests in flight.
    public static let defaultLimit = 1024
    /// The largest cap accepted.
    public static let maximumLimit = 65_536
    /// The seconds a refused client is asked to wait.
    public static let retryAfterSeconds = 1
    /// Paths that are always served.
    static let exemptPaths: Set<String> = ["/livez", "/readyz", "/metrics"]

    /// The cap.
    public let limit: Int
    private let inFlight = Atomic<Int>(0)

    /// - Precondition: `limit` is 1 to ``maximumLimit``.
    public init(limit: Int = defaultLimit) {
        precondition((1...Self.maximumLimit).contains(limit), "an in-flight limit of 1 to \(Self.maximumLimit)")
        self.limit = limit
    }

    /// Requests being worked on now (exempt paths not counted).
    public var current: Int { inFlight.load(ordering: .relaxed) }

    public func handle(
        _ request: Request,
        context: WalletRequestContext,
        next: (Request, WalletRequestContext) async throws -> Response
    ) async throws -> Response {
        if Self.exemptPaths.contains(request.uri.path) { return try await next(request, context) }
        let admitted = inFlight.wrappingAdd(1, ordering: .relaxed).newValue
        defer { inFlight.wrappingSubtract(1, ordering: .relaxed) }
        guard admitted <= limit else {
            return try Problem.overloaded(limit: limit).response(from: request, context: context)
        }
        return try await next(request, context)
    }
}

extension Problem {
    /// `503 overloaded`: the instance already works on as many requests as it may.
    static func overloaded(limit: Int) -> Problem {
        overloaded(
            "This instance is already serving \(limit) requests; retry after \(InFlightLimitMiddleware.retryAfterSeconds) s "
                + "(money movements with the same Idempotency-Key)."
        )
    }

    /// `503 overloaded` with `Retry-After`, for any bounded queue that is full.
    static func overloaded(_ detail: String) -> Problem {
        var headers = HTTPFields()
        headers[.retryAfter] = String(InFlightLimitMiddleware.retryAfterSeconds)
        return Problem(.serviceUnavailable, code: "overloaded", title: "Overloaded", detail: detail, headers: headers)
    }
}
