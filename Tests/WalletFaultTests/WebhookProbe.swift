import Foundation
import TestSupport
import Testing
import WalletCore

/// A probe account with a webhook endpoint at a receiver of the test's, for the fault scenario that kills the
/// service mid-delivery: every event is delivered after the kill (at least once), every request signed with the
/// endpoint's secret, a repeat only with the same event id, and never two requests for one event at once.
struct WebhookProbe: Sendable {
    /// The claim lease of the scenario's service: the shortest allowed, so the restarted service retakes the dead
    /// one's claims soon.
    static let claimLeaseSeconds = 21
    static let serviceArguments = ["--webhook-allow-insecure-local", "--webhook-claim-lease-seconds", String(claimLeaseSeconds)]
    /// Deposits of the probe, each one `transaction.committed` event for the endpoint.
    static let deposits = 3
    /// How long the first attempts may take to reach the receiver (the sequencer's interval, the dispatcher's poll).
    static let firstAttemptSeconds = 10.0
    /// How long the redeliveries may take after the restart. An attempt the killed service was still making is
    /// tried again when its claim's lease ends; one that had timed out before the kill (a first attempt that began
    /// more than the attempt time limit before it) waits for the retry schedule's first wait, at its longest. Then
    /// slack for a loaded machine.
    static let redeliverySeconds =
        max(Double(claimLeaseSeconds), WebhookRetrySchedule.firstWait.seconds * WebhookRetrySchedule.jitter.upperBound) + 30

    let account: ProbeAccount
    let receiver: WebhookReceiver
    let endpointID: String
    let secret: String

    /// Opens a probe account and registers its endpoint at `receiver` for `transaction.committed`.
    static func open(on baseURL: String, receiver: WebhookReceiver) async throws -> WebhookProbe {
        let account = try await ProbeAccount.open(on: baseURL)
        let body = Data(#"{"url":"\#(receiver.url)","event_types":["transaction.committed"]}"#.utf8)
        let created = await HTTPProbe.send(
            "POST", baseURL + "/v1/webhook-endpoints", body: body,
            headers: ["Content-Type": "application/json", "Authorization": "Bearer " + account.token])
        let json = created.flatMap { try? JSONSerialization.jsonObject(with: $0.body) as? [String: Any] }
        let id = try #require(json?["id"] as? String, "registering the endpoint: \(String(describing: created?.status))")
        return WebhookProbe(account: account, receiver: receiver, endpointID: id, secret: try #require(json?["secret"] as? String))
    }

    /// Makes the probe's deposits and waits until the receiver holds an attempt of each.
    func depositAndWaitForAttempts() async throws {
        for index in 0..<Self.deposits {
            let answer = await account.deposit(amount: 100 + index, key: "webhook-probe-" + UUID().uuidString)
            #expect(answer?.status == 201, "\(String(describing: answer))")
        }
        let attempted = await receiver.wait(upTo: .seconds(Self.firstAttemptSeconds)) {
            Set($0.compactMap(\.eventID)).count == Self.deposits
        }
        #expect(attempted, "the receiver got \(receiver.requests.count) attempts before the kill")
    }

    /// Waits for every delivery to be delivered after the restart, and checks what the receiver got.
    func expectEveryEventDeliveredAgain() async throws {
        let deadline = Date().addingTimeInterval(Self.redeliverySeconds)
        var delivered = 0
        while Date() < deadline {
            let listing = await HTTPProbe.send(
                "GET", account.baseURL + "/v1/webhook-endpoints/\(endpointID)/deliveries?status=delivered",
                headers: ["Authorization": "Bearer " + account.token])
            let data = listing.flatMap { try? JSONSerialization.jsonObject(with: $0.body) as? [String: Any] }?["data"] as? [Any]
            delivered = data?.count ?? 0
            if delivered == Self.deposits { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        #expect(delivered == Self.deposits, "\(delivered) of \(Self.deposits) deliveries delivered \(Self.redeliverySeconds) s after the restart")
        let requests = receiver.requests
        let byEvent = Dictionary(grouping: requests, by: { $0.eventID ?? "" })
        #expect(byEvent.count == Self.deposits && byEvent[""] == nil, "\(byEvent.keys.sorted())")
        for (event, attempts) in byEvent {
            #expect(attempts.count >= 2, "\(event): attempted before the kill and again after it")
            #expect(Set(attempts.map(\.body)).count == 1, "\(event): a repeat is the same event")
        }
        #expect(requests.allSatisfy { $0.inFlightForEvent == 1 }, "no event was in flight twice at once")
        #expect(requests.allSatisfy { $0.signers(among: [secret]) == [secret] }, "every attempt is signed with the endpoint's secret")
        print("service-killed: \(requests.count) webhook attempts for \(byEvent.count) events, all delivered after the restart")
    }
}
