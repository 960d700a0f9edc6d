public import Hummingbird
import Logging
import WalletCore

/// Turns every error into an `application/problem+json` answer: ``Problem``s as they are, Hummingbird's own
/// errors (unknown route, body too large, …) into problems with stable codes, anything else into a logged 500
/// whose body reveals nothing internal.
public struct ProblemMiddleware: RouterMiddleware {
    public typealias Context = WalletRequestContext

    /// The methods each known path answers, to tell 405 from 404.
    let routes: RouteTable

    public init(routes: RouteTable) {
        self.routes = routes
    }

    public func handle(
        _ request: Request,
        context: WalletRequestContext,
        next: (Request, WalletRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            return try problem.response(from: request, context: context)
        } catch let error as WalletError {
            guard let problem = error.problem else {
                context.logger.error("request failed", metadata: ["error": "\(error)"])
                return try Problem.internalError(requestID: context.requestID).response(from: request, context: context)
            }
            return try problem.response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            return try problem(for: error, request: request, context: context).response(from: request, context: context)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            return try Problem.internalError(requestID: context.requestID).response(from: request, context: context)
        }
    }

    private func problem(for error: any HTTPResponseError, request: Request, context: WalletRequestContext) -> Problem {
        switch error.status {
        case .notFound:
            let allowed = routes.methods(forPath: request.uri.path)
            if !allowed.isEmpty, !allowed.contains(request.method) {
                return .methodNotAllowed(request.method, allowed: allowed)
            }
            return .notFound(request.uri.path)
        case .contentTooLarge:
            return Problem(
                .contentTooLarge,
                code: "payload_too_large",
                title: "Payload too large",
                detail: "The request body is larger than the service accepts."
            )
        case .methodNotAllowed:
            return .methodNotAllowed(request.method, allowed: routes.methods(forPath: request.uri.path))
        default:
            if error.status.code >= 500 {
                context.logger.error("request failed", metadata: ["error": "\(error)"])
                return .internalError(requestID: context.requestID)
            }
            return Problem(
                error.status,
                code: "invalid_request",
                title: error.status.reasonPhrase,
                detail: (error as? HTTPError)?.body ?? error.status.reasonPhrase
            )
        }
    }
}
