import Foundation
import HTTPTypes
import MariaDB
import Synchronization
import Testing
import TestSupport
import WalletCore
import WalletHTTP

/// A clock that stands still until the test moves it: deliveries' attempts, due times and retries are dated by it,
/// so a test steps through hours of retries without waiting, and a retry's wait is measured exactly however slowly
/// the machine runs. Move it to the present (``set(to:)`` with `Date()`) after writing the events to deliver.
final class ManualClock: Sendable {
    private let date: Mutex<Date>

    init(_ start: Date = Date()) { date = Mutex(start) }

    var now: Date { date.withLock { $0 } }

    func advance(by seconds: TimeInterval) { date.withLock { $0 = $0.addingTimeInterval(seconds) } }

    /// Moves the clock to `later`, or not at all when it is there already.
    func set(to later: Date) { date.withLock { $0 = max($0, later) } }
}

extension APIHarness {
    /// A dispatcher over the harness's database with a client of `policy`, dating by `clock`. Its attempts have the
    /// service's time limit by default: a receiver on loopback answers well within it even on a loaded machine.
    func dispatcher(
        clock: ManualClock? = nil, policy: WebhookAddressPolicy = .allowingInsecureLocal,
        attemptTimeout: Duration = WebhookDispatcher.Configuration.defaultAttemptTimeout, claimLease: Duration = .seconds(25)
    ) throws -> WebhookDispatcher {
        let configuration = WebhookDispatcher.Configuration(policy: policy, claimLease: claimLease, attemptTimeout: attemptTimeout)
        let now: @Sendable () -> Date
        if let clock { now = { clock.now } } else { now = { Date() } }
        return WebhookDispatcher(
            queue: WebhookQueue(pool: pool, claimLease: claimLease), client: try WebhookHTTPClient(policy: policy),
            configuration: configuration, clock: now)
    }

    /// The deliveries of `endpoint` (newest first), as the API lists them.
    func deliveries(_ token: String, _ endpoint: String, query: String = "") async throws -> [[String: Any]] {
        let answer = try await send(.get, "/v1/webhook-endpoints/\(endpoint)/deliveries?limit=100" + query, token: token)
        #expect(answer.status == .ok, "\(answer.json)")
        return answer.json["data"] as? [[String: Any]] ?? []
    }

    /// `token`'s whole event feed, oldest first.
    func allEvents(_ token: String) async throws -> [[String: Any]] {
        try await sequenceEvents()
        var events: [[String: Any]] = []
        var cursor = ""
        for _ in 0..<100 {
            let page = try await send(.get, "/v1/events?limit=100" + cursor, token: token)
            events += page.json["data"] as? [[String: Any]] ?? []
            guard page.json["has_more"] as? Bool == true, let next = page.string("next_cursor") else { break }
            cursor = "&after=" + next
        }
        return events
    }
}

/// The JSON object of `bytes`.
func jsonObject(_ bytes: [UInt8]) -> NSDictionary? {
    (try? JSONSerialization.jsonObject(with: Data(bytes))) as? NSDictionary
}
