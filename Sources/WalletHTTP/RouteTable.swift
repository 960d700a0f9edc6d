public import HTTPTypes
import Synchronization

/// The paths the service answers and the methods of each, so that a wrong method gets 405 and `Allow`.
///
/// Paths are patterns like `/v1/wallets/{id}`; a `{…}` segment matches any one segment. Routes are added while
/// the router is built (after the middleware that reads the table, which Hummingbird needs added first).
public final class RouteTable: Sendable {
    private let routes = Mutex<[(segments: [Substring], methods: [HTTPRequest.Method])]>([])

    public init() {}

    /// Records that `path` answers `method`.
    public func add(_ method: HTTPRequest.Method, _ path: String) {
        let segments = path.split(separator: "/")
        routes.withLock { routes in
            if let index = routes.firstIndex(where: { $0.segments == segments }) {
                routes[index].methods.append(method)
            } else {
                routes.append((segments, [method]))
            }
        }
    }

    /// Every route as (method, path pattern).
    public var all: [(method: HTTPRequest.Method, path: String)] {
        routes.withLock { routes in
            routes.flatMap { route in route.methods.map { ($0, "/" + route.segments.joined(separator: "/")) } }
        }
    }

    /// The methods that `path` answers; empty when no route has this path.
    public func methods(forPath path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/")
        let routes = self.routes.withLock { $0 }
        for route in routes where route.segments.count == segments.count {
            let matches = zip(route.segments, segments).allSatisfy { pattern, segment in
                pattern.hasPrefix("{") || pattern == segment
            }
            if matches { return route.methods }
        }
        return []
    }
}
