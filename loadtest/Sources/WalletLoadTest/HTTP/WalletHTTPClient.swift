import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// The wallet service's HTTP API as the harness uses it, over one shared `HTTPClient` (HTTP/1.1, keep-alive).
struct WalletHTTPClient: Sendable {
    /// The largest response body read.
    static let maximumResponseBytes = 1 << 20
    /// The limit on one set-up, metrics or verification request (registration hashes a password with bcrypt), or
    /// `--timeout` when that is longer.
    static let minimumBookkeepingTimeout: TimeAmount = .seconds(30)

    /// One answer.
    struct Response: Sendable {
        let status: Int
        let headers: HTTPHeaders
        let body: ByteBuffer

        /// The body decoded as `type`, or nil when it is not that.
        func decode<T: Decodable>(_ type: T.Type) -> T? {
            try? JSONDecoder().decode(type, from: Data(body.readableBytesView))
        }

        /// The `code` of a problem answer, or `status N` when there is none.
        var problemCode: String { decode(ResponseBodies.Problem.self)?.code ?? "status \(status)" }
    }

    let http: HTTPClient
    /// The base URLs of the service's instances, without a trailing slash: requests go to them in turn.
    let baseURLs: [String]
    private let turn = Turn()
    /// The limit on one money movement request, connection and answer included.
    let timeout: TimeAmount
    /// The limit on every other request.
    let bookkeepingTimeout: TimeAmount

    /// A client of the instances `baseURLs` lists (comma-separated: several instances of one service on one database).
    init(http: HTTPClient, baseURLs: String, timeout: Duration) {
        self.http = http
        self.baseURLs = baseURLs.split(separator: ",").map { $0.hasSuffix("/") ? String($0.dropLast()) : String($0) }
        precondition(!self.baseURLs.isEmpty, "at least one base URL")
        self.timeout = .nanoseconds(Int64(timeout / .nanoseconds(1)))
        self.bookkeepingTimeout = max(self.timeout, Self.minimumBookkeepingTimeout)
    }

    /// Sends one request to the next instance and reads its whole answer within `timeout` (``timeout`` when nil).
    /// Throws `HTTPClientError` and connection errors.
    func send(
        _ method: HTTPMethod,
        _ path: String,
        token: String? = nil,
        idempotencyKey: String? = nil,
        json: String? = nil,
        timeout: TimeAmount? = nil
    ) async throws -> Response {
        try await send(to: nextBaseURL(), method, path, token: token, idempotencyKey: idempotencyKey, json: json, timeout: timeout)
    }

    private func send(
        to baseURL: String,
        _ method: HTTPMethod,
        _ path: String,
        token: String?,
        idempotencyKey: String?,
        json: String?,
        timeout: TimeAmount?
    ) async throws -> Response {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer " + token) }
        if let idempotencyKey { request.headers.add(name: "Idempotency-Key", value: idempotencyKey) }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        let response = try await http.execute(request, timeout: timeout ?? self.timeout)
        let body = try await response.body.collect(upTo: Self.maximumResponseBytes)
        return Response(status: Int(response.status.code), headers: response.headers, body: body)
    }

    /// How many times a read (`GET`) answered 503 is sent before the answer counts: the fault scenarios kill the
    /// service's database connections or the database itself, and a read that meets that is answered 503 at once.
    static let readAttemptsOn503 = 10
    /// The wait between those attempts when the answer names no `Retry-After`, and the longest wait.
    static let readRetryDelay: Duration = .milliseconds(200)
    static let maximumReadRetryDelay: Duration = .seconds(2)

    /// Sends a set-up, metrics or verification request that must answer `expectedStatus`, to `instance` or else to
    /// the next instance in turn; throws a ``RunError`` naming the answer otherwise. A `GET` answered 503 is sent
    /// again, up to ``readAttemptsOn503`` times in all.
    func expect(
        _ expectedStatus: Int,
        _ method: HTTPMethod,
        _ path: String,
        token: String? = nil,
        json: String? = nil,
        at instance: String? = nil
    ) async throws -> Response {
        var response: Response
        var attempt = 1
        while true {
            let baseURL = instance ?? nextBaseURL()
            do {
                response = try await send(to: baseURL, method, path, token: token, idempotencyKey: nil, json: json, timeout: bookkeepingTimeout)
            } catch {
                throw RunError("\(method) \(baseURL)\(path) failed: \(error)")
            }
            guard method == .GET, response.status == 503, expectedStatus != 503, attempt < Self.readAttemptsOn503 else { break }
            attempt += 1
            let retryAfter = response.headers.first(name: "Retry-After").flatMap(Int.init).map { Duration.seconds($0) }
            try await Task.sleep(for: min(retryAfter ?? Self.readRetryDelay, Self.maximumReadRetryDelay))
        }
        guard response.status == expectedStatus else {
            throw RunError("\(method) \(path) answered \(response.status) \(response.problemCode), expected \(expectedStatus)")
        }
        return response
    }

    /// The `/metrics` text of every instance, one after the other (``ServerCounters`` adds their series up).
    func metricsText() async throws -> String {
        var text = ""
        for baseURL in baseURLs {
            text += String(buffer: try await expect(200, .GET, "/metrics", at: baseURL).body) + "\n"
        }
        return text
    }

    /// The instance the next request goes to.
    private func nextBaseURL() -> String {
        baseURLs[Int(turn.next() % UInt(baseURLs.count))]
    }

    /// A counter shared by the copies of a client.
    private final class Turn: Sendable {
        private let counter = Atomic<UInt>(0)
        func next() -> UInt { counter.wrappingAdd(1, ordering: .relaxed).oldValue }
    }
}
