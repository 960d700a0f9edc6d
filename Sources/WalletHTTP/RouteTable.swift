public import HTTPTypes
public import Hummingbird
import Synchronization

/// The paths the service answers, the methods of each and who may call them, so that a wrong method gets 405 and
/// `Allow`, and tests can check every route's rule.
///
/// Paths are patterns like `/v1/wallets/{id}`; a `{…}` segment matches any one segment. Routes are added while
/// the router is built (after the middleware that reads the table, which Hummingbird needs added first), through
/// ``RouterMethods/route(_:_:access:table:use:)``, which adds the route and its rule in one step.
public final class RouteTable: Sendable {
    /// One route: method, path pattern and who may call it.
    public struct Route: Sendable {
        public let method: HTTPRequest.Method
        public let path: String
        public let access: RouteAccess
    }

    private let routes = Mutex<[(segments: [Substring], routes: [Route])]>([])

    public init() {}

    /// Records that `path` answers `method` for callers that `access` lets through.
    /// Routes added straight to the router, outside authentication, are open to anyone.
    public func add(_ method: HTTPRequest.Method, _ path: String, access: RouteAccess = .open) {
        let segments = path.split(separator: "/")
        let route = Route(method: method, path: path, access: access)
        routes.withLock { routes in
            if let index = routes.firstIndex(where: { $0.segments == segments }) {
                routes[index].routes.append(route)
            } else {
                routes.append((segments, [route]))
            }
        }
    }

    /// Every route.
    public var all: [Route] {
        routes.withLock { routes in routes.flatMap(\.routes) }
    }

    /// The methods that `path` answers; empty when no route has this path.
    public func methods(forPath path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/")
        let routes = self.routes.withLock { $0 }
        for route in routes where route.segments.count == segments.count {
            let matches = zip(route.segments, segments).allSatisfy { pattern, segment in
                pattern.hasPrefix("{") || pattern == segment
            }
            if matches { return route.routes.map(\.method) }
        }
        return []
    }
}

extension RouterMethods where Context == WalletRequestContext {
    /// Adds the route `method` `path`, which answers callers that `access` lets through with `handler`, and records
    /// it in `table`. Routes that need a principal must be added to a group behind ``BearerAuthenticator``.
    public func route(
        _ method: HTTPRequest.Method,
        _ path: String,
        access: RouteAccess,
        table: RouteTable,
        use handler: @escaping @Sendable (Request, WalletRequestContext) async throws -> Response
    ) {
        on(RouterPath(path), method: method) { request, context in
            try access.authorize(context.principal)
            return try await handler(request, context)
        }
        table.add(method, path, access: access)
    }
}
