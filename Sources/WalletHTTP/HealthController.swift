public import Hummingbird
import MariaDB

/// `GET /livez` (the process is up) and `GET /readyz` (it can serve: database reachable, schema migrated).
public struct HealthController: Sendable {
    let readiness: ReadinessCheck

    public init(readiness: ReadinessCheck) {
        self.readiness = readiness
    }

    public func addRoutes(to router: Router<WalletRequestContext>, table: RouteTable) {
        router.get("/livez") { _, _ in Self.ok }
        router.get("/readyz") { _, _ in
            if let problem = await readiness.problem() {
                throw Problem.unavailable("Not ready: \(problem).")
            }
            return Self.ready(on: readiness.pool.currentEndpoint)
        }
        table.add(.get, "/livez")
        table.add(.get, "/readyz")
    }

    /// Ready, naming the database server that the pool's connections go to (one node of a cluster's host list).
    private static func ready(on endpoint: MariaDBConfiguration.Endpoint) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"status":"ok","database":"\#(endpoint)"}"#))
        )
    }

    private static var ok: Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#))
        )
    }
}
