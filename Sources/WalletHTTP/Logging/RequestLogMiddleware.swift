public import Hummingbird
import Logging
import WalletCore

/// Writes one log line per answered request: method, route pattern, status, duration, user, and for money
/// movements the database transactions it took and how it ended. The request id comes with the logger's metadata.
///
/// Nothing from headers or bodies is logged, so no password, token or `Authorization` value can reach the logs.
/// Answers below 500 are logged at `info`, `503` (database away, overloaded) at `warning`, other server failures at
/// `error`.
public struct RequestLogMiddleware: RouterMiddleware {
    public typealias Context = WalletRequestContext

    public init() {}

    public func handle(
        _ request: Request,
        context: WalletRequestContext,
        next: (Request, WalletRequestContext) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context: context, status: Int(response.status.code), since: started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError).map { Int($0.status.code) } ?? 500
            log(request, context: context, status: status, since: started)
            throw error
        }
    }

    private func log(_ request: Request, context: WalletRequestContext, status: Int, since started: ContinuousClock.Instant) {
        let level: Logger.Level = status < 500 ? .info : status == 503 ? .warning : .error
        guard context.logger.logLevel <= level else { return }
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let record = context.logRecord.snapshot
        var metadata: Logger.Metadata = [
            "method": .string(request.method.rawValue),
            "route": .string(context.endpointPath ?? "unmatched"),
            "status": .stringConvertible(status),
            "duration_ms": .string(String(Double(Int(milliseconds * 1000)) / 1000)),
        ]
        if let principal = record.principal {
            switch principal.credential {
            case .session: metadata["user_id"] = .string(principal.id.rawValue)
            case .apiKey(let key):
                metadata["application_id"] = .string(principal.id.rawValue)
                metadata["api_key_id"] = .string(key.id.rawValue)
            }
        }
        if let attempts = record.attempts { metadata["attempts"] = .stringConvertible(attempts) }
        if let outcome = record.outcome { metadata["outcome"] = .string(outcome) }
        context.logger.log(level: level, "request", metadata: metadata)
    }
}
