public import Foundation
import Metrics
import Synchronization
public import WalletCore

/// Attempts due webhook deliveries: claims them from the ``WebhookQueue``, posts each event signed to its endpoint,
/// and records the outcome, with at most ``Configuration/maximumInFlight`` attempts at once and
/// ``Configuration/maximumInFlightPerEndpoint`` per endpoint (on this instance).
///
/// The clock is injectable: it dates attempts, decides what is due and schedules retries, so tests step through
/// a delivery's retries without waiting.
public struct WebhookDispatcher: Sendable {
    /// The dispatcher's limits and policy.
    public struct Configuration: Hashable, Sendable {
        /// Attempts in flight at once by default.
        public static let defaultMaximumInFlight = 16
        /// Attempts in flight per endpoint by default: a slow receiver holds at most these.
        public static let defaultMaximumInFlightPerEndpoint = 4
        /// How long an attempt may take by default, connection and answer included: 2xx within it is delivered.
        public static let defaultAttemptTimeout: Duration = .seconds(10)

        /// Where deliveries may go.
        public var policy: WebhookAddressPolicy
        /// How long a claim lasts: more than twice ``attemptTimeout``.
        public var claimLease: Duration
        public var attemptTimeout: Duration
        public var maximumInFlight: Int
        public var maximumInFlightPerEndpoint: Int

        public init(
            policy: WebhookAddressPolicy = .publicOnly,
            claimLease: Duration = WebhookQueue.defaultClaimLease,
            attemptTimeout: Duration = Self.defaultAttemptTimeout,
            maximumInFlight: Int = Self.defaultMaximumInFlight,
            maximumInFlightPerEndpoint: Int = Self.defaultMaximumInFlightPerEndpoint
        ) {
            precondition(claimLease > attemptTimeout * 2, "a claim outlasts two attempts, so one delivery is never attempted twice at once")
            precondition((1...WebhookQueue.maximumClaim).contains(maximumInFlight), "1 to \(WebhookQueue.maximumClaim) attempts in flight")
            precondition((1...maximumInFlight).contains(maximumInFlightPerEndpoint), "an endpoint's share of the attempts in flight")
            self.policy = policy
            self.claimLease = claimLease
            self.attemptTimeout = attemptTimeout
            self.maximumInFlight = maximumInFlight
            self.maximumInFlightPerEndpoint = maximumInFlightPerEndpoint
        }
    }

    /// What one attempt came to.
    public struct Outcome: Hashable, Sendable {
        public let eventID: EventID
        public let endpointID: WebhookEndpointID
        public let attempt: WebhookAttempt
        public let resolution: WebhookQueue.Resolution
    }

    let queue: WebhookQueue
    /// The HTTP client of the attempts (shut down with the dispatcher's service).
    public let client: WebhookHTTPClient
    let configuration: Configuration
    let clock: @Sendable () -> Date
    private let inFlight = InFlightAttempts()
    private let metrics = WebhookMetrics()

    /// A dispatcher over `queue` (on the workers' own connections) posting with `client`, dating with `clock`.
    public init(queue: WebhookQueue, client: WebhookHTTPClient, configuration: Configuration, clock: @escaping @Sendable () -> Date = Date.init) {
        precondition(queue.claimLease == configuration.claimLease, "the queue claims for the configured lease")
        self.queue = queue
        self.client = client
        self.configuration = configuration
        self.clock = clock
    }

    /// Claims what is due and fits in the free attempts, and returns the claims, counted in flight until
    /// ``attempt(_:)`` of each finishes.
    public func claimDue() async throws -> [ClaimedWebhookDelivery] {
        let (free, perEndpoint) = inFlight.counts(maximum: configuration.maximumInFlight)
        guard free > 0 else { return [] }
        let claims = try await queue.claim(
            now: clock(), limit: free, perEndpoint: configuration.maximumInFlightPerEndpoint, inFlight: perEndpoint)
        inFlight.start(claims)
        return claims
    }

    /// Attempts `claimed` once and records the outcome.
    public func attempt(_ claimed: ClaimedWebhookDelivery) async -> Outcome {
        defer { inFlight.finish(claimed.target.endpointID) }
        var body = JSONWriter()
        body.event(claimed.event)
        let bytes = body.bytes
        let startedAt = clock()
        let started = ContinuousClock.now
        let headers = [
            ("Wallet-Event-Id", claimed.event.id.rawValue),
            ("Wallet-Event-Type", claimed.event.type.rawValue),
            ("Wallet-Signature", WebhookSignature.header(body: bytes, timestamp: startedAt, secrets: claimed.target.secrets)),
        ]
        let attempt: WebhookAttempt
        do {
            let status = try await client.post(to: claimed.target.url, headers: headers, body: bytes, timeout: configuration.attemptTimeout)
            let latency = ContinuousClock.now - started
            attempt = WebhookAttempt(
                attemptedAt: startedAt, statusCode: status, latency: latency,
                error: (200...299).contains(status) ? nil : "the receiver answered \(status)\((300...399).contains(status) ? " (redirects are not followed)" : "")")
        } catch {
            attempt = WebhookAttempt(attemptedAt: startedAt, statusCode: nil, latency: ContinuousClock.now - started, error: error.description)
        }
        metrics.attemptDuration.recordMicroseconds(attempt.latency.microseconds)
        let resolution: WebhookQueue.Resolution
        do {
            resolution = try await queue.record(attempt, of: claimed, now: clock())
        } catch {
            // The claim's lease ends and the delivery is attempted again: at least once.
            resolution = .claimLost
        }
        metrics.count(resolution)
        return Outcome(eventID: claimed.event.id, endpointID: claimed.target.endpointID, attempt: attempt, resolution: resolution)
    }

    /// Claims what is due and attempts it all, waiting for every attempt: one step of a test's clock.
    public func deliverDue() async throws -> [Outcome] {
        let claims = try await claimDue()
        return await withTaskGroup(of: Outcome.self) { group in
            for claimed in claims { group.addTask { await attempt(claimed) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
    }

    /// Records how long the oldest pending delivery has waited.
    func recordBacklog() async throws {
        metrics.oldestPending.record((try await queue.oldestPendingAge(now: clock())).seconds)
    }
}

/// The dispatcher's attempts in flight, in all and per endpoint.
final class InFlightAttempts: Sendable {
    private let state = Mutex<(total: Int, perEndpoint: [WebhookEndpointID: Int])>((0, [:]))

    /// How many more attempts fit under `maximum`, and the attempts in flight per endpoint.
    func counts(maximum: Int) -> (free: Int, perEndpoint: [WebhookEndpointID: Int]) {
        state.withLock { state in (max(0, maximum - state.total), state.perEndpoint) }
    }

    func start(_ claims: [ClaimedWebhookDelivery]) {
        state.withLock { state in
            for claimed in claims {
                state.perEndpoint[claimed.target.endpointID, default: 0] += 1
                state.total += 1
            }
        }
    }

    func finish(_ endpoint: WebhookEndpointID) {
        state.withLock { state in
            state.total -= 1
            state.perEndpoint[endpoint, default: 1] -= 1
            if state.perEndpoint[endpoint] == 0 { state.perEndpoint[endpoint] = nil }
        }
    }
}
