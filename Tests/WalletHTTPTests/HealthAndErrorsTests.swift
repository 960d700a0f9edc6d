import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MariaDB
import Prometheus
import Testing
import TestSupport
import WalletCore
import WalletHTTP

@Suite("Health, metrics and problem answers")
struct HealthAndErrorsTests {
    static let logger = Logger(label: "http-test")

    /// An application on `database` whose schema check answers `schemaProblem`.
    private func withApplication(
        database: MariaDBConfiguration,
        schemaProblem: String?,
        _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let pool = MariaDBConnectionPool(
            database: database,
            configuration: .init(size: 2, acquireTimeout: .seconds(1)),
            logger: Self.logger
        )
        let hasher = PasswordHasher(cost: PasswordHasher.costRange.lowerBound)
        do {
            let router = try await buildRouter(
                RouterDependencies(
                    wallet: WalletService(pool: pool, eventData: APIEventData(), logger: Self.logger),
                    readiness: ReadinessCheck(pool: pool, timeout: .seconds(2)) { _ in schemaProblem },
                    metrics: PrometheusCollectorRegistry(),
                    openAPI: OpenAPIDocument(text: "openapi: 3.1.0\npaths:\n  /livez:\n    get:\n      summary: Liveness\n"),
                    hasher: hasher
                )
            )
            let app = Application(router: router, logger: Self.logger)
            try await app.test(.router, body)
        } catch {
            try await hasher.shutdown()
            await pool.shutdown()
            throw error
        }
        try await hasher.shutdown()
        await pool.shutdown()
    }

    @Test func livenessAndReadinessAreOKWhenTheDatabaseAnswersAndTheSchemaIsCurrent() async throws {
        try await withApplication(database: try TestDatabase.configuration(), schemaProblem: nil) { client in
            try await client.execute(uri: "/livez", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[HTTPField.Name("Request-Id")!]?.isEmpty == false)
            }
        }
    }

    @Test func readinessIs503WhileAMigrationIsPending() async throws {
        try await withApplication(database: try TestDatabase.configuration(), schemaProblem: "migration 0002 is pending") { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.contentType] == "application/problem+json")
                let problem = try JSONDecoder().decode(ProblemDocument.self, from: Data(response.body.readableBytesView))
                #expect(problem.code == "unavailable")
                #expect(problem.status == 503)
                #expect(problem.detail.contains("0002"))
            }
        }
    }

    @Test func readinessIs503PromptlyWhenTheDatabaseIsDown() async throws {
        var unreachable = try TestDatabase.configuration()
        unreachable.port = 1
        try await withApplication(database: unreachable, schemaProblem: nil) { client in
            let start = ContinuousClock.now
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let problem = try JSONDecoder().decode(ProblemDocument.self, from: Data(response.body.readableBytesView))
                #expect(problem.code == "unavailable")
            }
            #expect(ContinuousClock.now - start < .seconds(5))
            // Liveness does not depend on the database.
            try await client.execute(uri: "/livez", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func theSpecAndItsReferencePageAreServed() async throws {
        try await withApplication(database: try TestDatabase.configuration(), schemaProblem: nil) { client in
            try await client.execute(uri: "/openapi.yaml", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/yaml") == true)
                #expect(String(buffer: response.body).hasPrefix("openapi: 3.1.0"))
            }
            try await client.execute(uri: "/docs", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(String(buffer: response.body).contains("<code>/livez</code>"))
            }
        }
    }

    @Test func metricsAreServedInThePrometheusFormat() async throws {
        try await withApplication(database: try TestDatabase.configuration(), schemaProblem: nil) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            }
        }
    }

    @Test func unknownRoutesAndWrongMethodsAreProblems() async throws {
        try await withApplication(database: try TestDatabase.configuration(), schemaProblem: nil) { client in
            try await client.execute(uri: "/no/such/thing", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/problem+json")
                let problem = try JSONDecoder().decode(ProblemDocument.self, from: Data(response.body.readableBytesView))
                #expect(problem.code == "not_found")
                #expect(problem.type.hasSuffix("not_found"))
                #expect(problem.title == "Not found")
            }
            try await client.execute(uri: "/livez", method: .post) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET")
                let problem = try JSONDecoder().decode(ProblemDocument.self, from: Data(response.body.readableBytesView))
                #expect(problem.code == "method_not_allowed")
            }
        }
    }

    @Test func aClientRequestIDIsEchoedAndABadOneReplaced() async throws {
        let header = HTTPField.Name("Request-Id")!
        try await withApplication(database: try TestDatabase.configuration(), schemaProblem: nil) { client in
            try await client.execute(uri: "/nowhere", method: .get, headers: [header: "abc-123"]) { response in
                #expect(response.headers[header] == "abc-123")
            }
            try await client.execute(uri: "/livez", method: .get, headers: [header: String(repeating: "x", count: 500)]) { response in
                let id = response.headers[header] ?? ""
                #expect(!id.isEmpty && id.count < 500)
            }
        }
    }
}

/// The fields every problem answer has.
struct ProblemDocument: Decodable {
    var type: String
    var title: String
    var status: Int
    var detail: String
    var code: String
}
