import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MariaDB
import NIOCore
import Prometheus
import Testing
import TestSupport
import WalletCore
import WalletHTTP
import WalletMigrations

/// The whole API in-process on a scratch database with the repository's migrations applied, and helpers that
/// speak it like a client.
struct APIHarness: Sendable {
    static let logger = Logger(label: "api-test")
    static let migrations = PrivateMariaDBServer.repositoryRoot + "/migrations"
    static let openAPIFile = PrivateMariaDBServer.repositoryRoot + "/openapi.yaml"

    let client: any TestClientProtocol
    let wallet: WalletService
    let routes: RouteTable
    /// The scratch database, for checking what a request left behind.
    let pool: MariaDBConnectionPool

    /// Runs `body` against a fresh service. `hasher` (at the lowest cost by default) is shut down afterwards.
    static func run(
        poolSize: Int = 8,
        rateLimits: RateLimits = .none,
        webhookPolicy: WebhookAddressPolicy = .allowingInsecureLocal,
        hasher: PasswordHasher = PasswordHasher(cost: PasswordHasher.costRange.lowerBound),
        logger: Logger = Self.logger,
        _ body: @Sendable (APIHarness) async throws -> Void
    ) async throws {
        do {
            try await runOnScratchDatabase(
                poolSize: poolSize, rateLimits: rateLimits, webhookPolicy: webhookPolicy, hasher: hasher, logger: logger, body)
        } catch {
            try await hasher.shutdown()
            throw error
        }
        try await hasher.shutdown()
    }

    private static func runOnScratchDatabase(
        poolSize: Int,
        rateLimits: RateLimits,
        webhookPolicy: WebhookAddressPolicy,
        hasher: PasswordHasher,
        logger: Logger,
        _ body: @Sendable (APIHarness) async throws -> Void
    ) async throws {
        try await TestDatabase.withScratchDatabase { database in
            let pool = MariaDBConnectionPool(database: database, configuration: .init(size: poolSize, acquireTimeout: .seconds(30)), logger: logger)
            do {
                _ = try await MigrationRunner(pool: pool, directory: try MigrationDirectory.load(migrations)).up()
                let wallet = WalletService(pool: pool, eventData: APIEventData(), logger: logger)
                let routes = RouteTable()
                let router = try await buildRouter(
                    RouterDependencies(
                        wallet: wallet,
                        readiness: ReadinessCheck(pool: pool) { _ in nil },
                        metrics: PrometheusCollectorRegistry(),
                        openAPI: OpenAPIDocument(text: try String(contentsOfFile: openAPIFile, encoding: .utf8)),
                        hasher: hasher,
                        rateLimits: rateLimits,
                        webhookPolicy: webhookPolicy
                    ),
                    routes: routes
                )
                try await Application(router: router, logger: logger).test(.router) { client in
                    try await body(APIHarness(client: client, wallet: wallet, routes: routes, pool: pool))
                }
            } catch {
                await pool.shutdown()
                throw error
            }
            await pool.shutdown()
        }
    }

    /// One answer: status, headers and body, with the body parsed when it is JSON.
    struct Answer: Sendable {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: [UInt8]
        var json: [String: Any] {
            ((try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]) ?? [:]
        }
        var code: String? { json["code"] as? String }
        func string(_ key: String) -> String? { json[key] as? String }
        func int(_ key: String) -> Int64? { (json[key] as? NSNumber)?.int64Value }
    }

    /// Sends a request; `body` is sent as JSON text.
    func send(
        _ method: HTTPRequest.Method,
        _ path: String,
        token: String? = nil,
        key: String? = nil,
        json body: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> Answer {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if let key { headers[IdempotencyKeyHeader.name] = key }
        if body != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
        return try await client.execute(
            uri: path,
            method: method,
            headers: headers,
            body: body.map { ByteBuffer(string: $0) }
        ) { response in
            Answer(status: response.status, headers: response.headers, body: Array(response.body.readableBytesView))
        }
    }

    /// Registers a user and signs in; returns the token.
    func signedInUser(_ name: String = UUID().uuidString.prefix(8).lowercased()) async throws -> String {
        let email = "\(name)@example.com"
        let created = try await send(.post, "/v1/users", json: #"{"email":"\#(email)","password":"password-\#(name)"}"#)
        #expect(created.status == .created, "\(String(decoding: created.body, as: UTF8.self))")
        let session = try await send(.post, "/v1/sessions", json: #"{"email":"\#(email)","password":"password-\#(name)"}"#)
        #expect(session.status == .created)
        return try #require(session.string("token"))
    }

    /// Creates an application (as the operator's `wallet apps create` does); returns it.
    func application(_ name: String = "app-" + UUID().uuidString.prefix(8).lowercased()) async throws -> ClientApplication {
        try await wallet.applications.create(name: try #require(ApplicationName(name)))
    }

    /// Issues a key for `application` (as `wallet api-keys create` does); returns its secret.
    func apiKey(
        for application: ClientApplication,
        scopes: Set<APIKeyScope> = Set(APIKeyScope.all),
        expiresAt: Date? = nil,
        rateLimit: MovementRateLimit? = nil
    ) async throws -> String {
        try await wallet.apiKeys.issue(for: application.id, scopes: scopes, expiresAt: expiresAt, rateLimit: rateLimit).secret
    }

    /// Opens a wallet; returns its id.
    func wallet(_ token: String, currency: String = "USD") async throws -> String {
        let answer = try await send(.post, "/v1/wallets", token: token, json: #"{"currency":"\#(currency)"}"#)
        #expect(answer.status == .created)
        return try #require(answer.string("id"))
    }

    func deposit(_ token: String, _ wallet: String, _ amount: Int64, key: String = UUID().uuidString) async throws -> Answer {
        try await send(.post, "/v1/wallets/\(wallet)/deposits", token: token, key: key, json: #"{"amount":\#(amount)}"#)
    }

    func withdraw(_ token: String, _ wallet: String, _ amount: Int64, key: String = UUID().uuidString) async throws -> Answer {
        try await send(.post, "/v1/wallets/\(wallet)/withdrawals", token: token, key: key, json: #"{"amount":\#(amount)}"#)
    }

    func transfer(_ token: String, from: String, to: String, _ amount: Int64, key: String = UUID().uuidString) async throws -> Answer {
        try await send(
            .post,
            "/v1/transfers",
            token: token,
            key: key,
            json: #"{"from_wallet_id":"\#(from)","to_wallet_id":"\#(to)","amount":\#(amount)}"#
        )
    }

    func balance(_ token: String, _ wallet: String) async throws -> Int64? {
        try await send(.get, "/v1/wallets/\(wallet)", token: token).int("balance")
    }

    /// Gives every committed event its position (and queues its webhook deliveries), as the running service does
    /// on its interval.
    func sequenceEvents() async throws {
        let sequencer = wallet.eventSequencer(named: "api-test")
        for _ in 0..<10 where try await sequencer.sequence().sequenced == sequencer.batchSize {}
    }

    /// The id of the newest event in `token`'s feed (after sequencing).
    func latestEvent(_ token: String) async throws -> String? {
        try await sequenceEvents()
        var cursor = ""
        var latest: String?
        for _ in 0..<100 {
            let page = try await send(.get, "/v1/events?limit=100" + cursor, token: token)
            latest = (page.json["data"] as? [[String: Any]])?.last?["id"] as? String ?? latest
            guard page.json["has_more"] as? Bool == true, let next = page.string("next_cursor") else { return latest }
            cursor = "&after=" + next
        }
        return latest
    }

    /// Registers a webhook endpoint of `token` at `url` for `types`; returns the answer.
    func webhookEndpoint(_ token: String, url: String = "https://example.com/hooks", types: [String] = ["wallet.created"]) async throws -> Answer {
        let list = types.map { "\"\($0)\"" }.joined(separator: ",")
        return try await send(.post, "/v1/webhook-endpoints", token: token, json: #"{"url":"\#(url)","event_types":[\#(list)]}"#)
    }
}
