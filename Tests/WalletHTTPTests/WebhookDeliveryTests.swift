import Foundation
import HTTPTypes
import MariaDB
import Testing
import TestSupport
import WalletCore
import WalletHTTP

/// Webhook deliveries against real receivers on loopback: signed exactly as the feed shows each event, retried on
/// schedule (an injected clock steps through the waits), failed for good after the retry window, never attempted
/// twice at once by two dispatchers, and never sent where the address policy forbids.
@Suite("Webhook deliveries to real receivers")
struct WebhookDeliveryTests {
    /// Registers an endpoint of `token` at `receiver` for `types`; returns its id and secret.
    private func endpoint(_ api: APIHarness, _ token: String, _ receiver: WebhookReceiver, types: [String]) async throws -> (id: String, secret: String) {
        let created = try await api.webhookEndpoint(token, url: receiver.url, types: types)
        #expect(created.status == .created, "\(created.json)")
        return (try #require(created.string("id")), try #require(created.string("secret")))
    }

    @Test func aReceiverThatFailsFirstGetsEveryEventSignedAsTheFeedShowsItWithRetriesOnSchedule() async throws {
        let receiver = try await WebhookReceiver(.failFirst(2))
        try await APIHarness.run { api in
            let clock = ManualClock()
            let dispatcher = try api.dispatcher(clock: clock)
            let user = try await api.signedInUser()
            let (endpoint, secret) = try await endpoint(api, user, receiver, types: ["wallet.created", "transaction.committed"])
            let wallet = try await api.wallet(user)
            for amount in [100, 200, 300] as [Int64] { _ = try await api.deposit(user, wallet, amount) }
            let feed = try await api.allEvents(user)
            #expect(feed.count == 4)
            clock.set(to: Date())

            // Attempt 1 of each: 500. Retried 30 s later, give or take a fifth.
            var start = clock.now
            var outcomes = try await dispatcher.deliverDue()
            #expect(outcomes.count == 4 && outcomes.allSatisfy { $0.attempt.statusCode == 500 })
            for outcome in outcomes {
                guard case .retried(let at) = outcome.resolution else { Issue.record("\(outcome)"); continue }
                #expect((24...36).contains(at.timeIntervalSince(start)), "first retry after \(at.timeIntervalSince(start)) s")
            }
            clock.advance(by: 23)
            #expect(try await dispatcher.deliverDue().isEmpty, "nothing is due before its retry")
            clock.advance(by: 14)
            start = clock.now
            outcomes = try await dispatcher.deliverDue()
            #expect(outcomes.count == 4)
            for outcome in outcomes {
                guard case .retried(let at) = outcome.resolution else { Issue.record("\(outcome)"); continue }
                #expect((48...72).contains(at.timeIntervalSince(start)), "second retry after \(at.timeIntervalSince(start)) s")
            }
            clock.advance(by: 73)
            outcomes = try await dispatcher.deliverDue()
            #expect(outcomes.count == 4 && outcomes.allSatisfy { $0.resolution == .delivered })
            clock.advance(by: 3_600)
            #expect(try await dispatcher.deliverDue().isEmpty, "a delivered event is not sent again")

            // Three requests per event, each signed with the endpoint's secret, with the event as the feed shows it.
            let requests = receiver.requests
            #expect(requests.count == 12)
            for event in feed {
                let id = try #require(event["id"] as? String)
                let forEvent = requests.filter { $0.eventID == id }
                #expect(forEvent.count == 3, "\(id)")
                for request in forEvent {
                    #expect(request.signers(among: [secret]) == [secret], "every attempt is signed")
                    #expect(request.headers["wallet-event-type"] == event["type"] as? String)
                    #expect(request.headers["content-type"] == "application/json")
                    #expect(jsonObject(request.body) == (event as NSDictionary), "the body is the event as the feed shows it")
                }
                #expect(Set(forEvent.map(\.body)).count == 1, "retries send the same bytes")
            }
            #expect(requests[0].signers(among: ["whsec_wrong"]).isEmpty)

            // The owner sees every attempt of each delivery.
            let deliveries = try await api.deliveries(user, endpoint)
            #expect(deliveries.count == 4)
            for delivery in deliveries {
                #expect(delivery["status"] as? String == "delivered")
                let attempts = try #require(delivery["attempts"] as? [[String: Any]])
                #expect(attempts.map { $0["status_code"] as? Int } == [500, 500, 200])
                #expect(attempts.map { $0["error"] is NSNull } == [false, false, true])
                #expect(delivery["next_attempt_at"] is NSNull && delivery["delivered_at"] is String)
            }
            await dispatcher.client.shutdown()
        }
        await receiver.stop()
    }

    @Test func aHangingReceiverTimesOutAndOneThatAlwaysFailsFailsItsDeliveryAndEndpointAfterThreeDays() async throws {
        let receiver = try await WebhookReceiver(.hang)
        try await APIHarness.run { api in
            let clock = ManualClock()
            let dispatcher = try api.dispatcher(clock: clock, attemptTimeout: .seconds(1), claimLease: .seconds(3))
            let user = try await api.signedInUser()
            let (endpoint, _) = try await endpoint(api, user, receiver, types: ["wallet.created"])
            let wallet = try await api.wallet(user)
            try await api.sequenceEvents()
            clock.set(to: Date())

            let started = ContinuousClock.now
            let hung = try #require(try await dispatcher.deliverDue().first)
            #expect(ContinuousClock.now - started < .seconds(5), "the attempt ends at its time limit")
            #expect(hung.attempt.statusCode == nil && hung.attempt.error?.contains("no answer") == true, "\(hung.attempt)")
            #expect(hung.attempt.latency >= .milliseconds(900))

            receiver.behave(.failAlways)
            var attempts = 1
            var last = hung.resolution
            while case .retried(let at) = last, attempts < 60 {
                clock.set(to: at)
                let outcomes = try await dispatcher.deliverDue()
                #expect(outcomes.count == 1)
                last = try #require(outcomes.first).resolution
                attempts += 1
            }
            #expect(last == .failed, "the delivery fails after its retry window (\(attempts) attempts)")
            #expect((18...27).contains(attempts), "\(attempts) attempts in three days")
            let delivery = try #require(try await api.deliveries(user, endpoint).first)
            #expect(delivery["status"] as? String == "failed" && delivery["attempt_count"] as? Int == attempts)
            let failing = try await api.send(.get, "/v1/webhook-endpoints/\(endpoint)", token: user)
            #expect(failing.string("status") == "failing" && failing.json["failing_since"] is String)

            // A failing endpoint gets no new deliveries; enabled again, it gets the next events; a redelivery retries.
            _ = try await api.deposit(user, wallet, 100)
            _ = try await api.send(.post, "/v1/wallets", token: user, json: #"{"currency":"EUR"}"#)
            try await api.sequenceEvents()
            #expect(try await api.deliveries(user, endpoint).count == 1)
            #expect(try await api.send(.post, "/v1/webhook-endpoints/\(endpoint)/enable", token: user).string("status") == "enabled")
            _ = try await api.send(.post, "/v1/wallets", token: user, json: #"{"currency":"GBP"}"#)
            try await api.sequenceEvents()
            #expect(try await api.deliveries(user, endpoint).count == 2)
            let failedEvent = try #require(delivery["event_id"] as? String)
            let redelivered = try await api.send(.post, "/v1/events/\(failedEvent)/redeliver", token: user)
            #expect(redelivered.status == .accepted, "\(redelivered.json)")
            let again = try #require((redelivered.json["data"] as? [[String: Any]])?.first)
            #expect(again["status"] as? String == "pending" && again["attempt_count"] as? Int == attempts)
            // Delivered by a dispatcher with the service's attempt time limit: the short one above is for the hang.
            receiver.behave(.accept)
            clock.advance(by: 1)
            let patient = try api.dispatcher(clock: clock)
            let resolutions = try await patient.deliverDue().map(\.resolution)
            #expect(resolutions == [.delivered, .delivered], "the redelivery and the new event")
            await patient.client.shutdown()
            await dispatcher.client.shutdown()
        }
        await receiver.stop()
    }

    /// A receiver that never answers holds at most the dispatcher's attempts (each endpoint at most its share) and
    /// no database connection: the deliveries' own pool is idle while every attempt hangs, and money keeps moving on
    /// the API's connections. The deposits' time with and without the hanging attempts is printed, not asserted.
    @Test func aHangingReceiverHoldsAttemptsUpToTheLimitsAndNoConnectionWhileMoneyMoves() async throws {
        let receiver = try await WebhookReceiver(.hang)
        try await APIHarness.run { api in
            let user = try await api.signedInUser()
            let endpoints = 5
            for _ in 0..<endpoints { _ = try await endpoint(api, user, receiver, types: ["transaction.committed"]) }
            let wallet = try await api.wallet(user)
            let movements = 20

            /// The time of `movements` deposits one after another, each committed.
            @Sendable func timedDeposits() async throws -> Duration {
                let started = ContinuousClock.now
                for amount in 1...movements {
                    let answer = try await api.deposit(user, wallet, Int64(amount))
                    #expect(answer.status == .created, "\(answer.json)")
                }
                return ContinuousClock.now - started
            }
            let before = try await timedDeposits()
            try await api.sequenceEvents()

            // Each deposit is due at every endpoint: far more than the dispatcher attempts at once.
            let limits = WebhookDispatcher.Configuration(policy: .allowingInsecureLocal, claimLease: .seconds(130), attemptTimeout: .seconds(60))
            let deliveryPool = MariaDBConnectionPool(database: api.pool.databaseConfiguration, configuration: .init(size: 2), logger: APIHarness.logger)
            let dispatcher = WebhookDispatcher(
                queue: WebhookQueue(pool: deliveryPool, claimLease: limits.claimLease),
                client: try WebhookHTTPClient(policy: .allowingInsecureLocal), configuration: limits)
            let attempts = Task { try await dispatcher.deliverDue() }
            let hanging = await receiver.wait { $0.count == limits.maximumInFlight }
            #expect(hanging, "\(receiver.requests.count) attempts reached the receiver")
            #expect(try await dispatcher.claimDue().isEmpty, "no attempt past the limit is claimed")
            #expect(deliveryPool.statistics.inUse == 0, "a hanging attempt holds no database connection")

            let during = try await timedDeposits()
            #expect(receiver.requests.count == limits.maximumInFlight, "the attempts still hang")
            receiver.behave(.accept)
            let outcomes = try await attempts.value
            #expect(outcomes.count == limits.maximumInFlight && outcomes.allSatisfy { $0.resolution == .delivered })
            let perEndpoint = Dictionary(grouping: outcomes, by: \.endpointID).values.map(\.count)
            #expect(perEndpoint.allSatisfy { $0 <= limits.maximumInFlightPerEndpoint }, "\(perEndpoint)")
            print(
                "\(movements) deposits: \(before) before, \(during) while \(limits.maximumInFlight) attempts hung "
                    + "(ratio \(String(format: "%.2f", during.seconds / before.seconds)))")
            await dispatcher.client.shutdown()
            await deliveryPool.shutdown()
        }
        await receiver.stop()
    }

    @Test func aRedirectIsNotFollowedAndALargeAnswerIsNotReadToItsEnd() async throws {
        let receiver = try await WebhookReceiver(.redirect)
        try await APIHarness.run { api in
            let clock = ManualClock()
            let dispatcher = try api.dispatcher(clock: clock)
            let user = try await api.signedInUser()
            _ = try await endpoint(api, user, receiver, types: ["wallet.created"])
            _ = try await api.wallet(user)
            try await api.sequenceEvents()
            clock.set(to: Date())
            let redirected = try #require(try await dispatcher.deliverDue().first)
            #expect(redirected.attempt.statusCode == 302 && redirected.attempt.error?.contains("redirects are not followed") == true)
            guard case .retried(let at) = redirected.resolution else { Issue.record("\(redirected.resolution)"); return }
            #expect(receiver.requests.count == 1, "nothing was sent to the redirect's target")

            receiver.behave(.largeBody(8 * 1024 * 1024))
            clock.set(to: at)
            let answered = try #require(try await dispatcher.deliverDue().first)
            #expect(answered.resolution == .delivered, "\(answered.attempt)")
            await dispatcher.client.shutdown()
        }
        await receiver.stop()
    }

    @Test func twoDispatchersSharingTheQueueDeliverEveryEventOnceAndNeverOneAtOnce() async throws {
        let receiver = try await WebhookReceiver(.slow(.milliseconds(30)))
        try await APIHarness.run(poolSize: 12) { api in
            let user = try await api.signedInUser()
            let (endpoint, secret) = try await endpoint(api, user, receiver, types: ["transaction.committed"])
            let wallet = try await api.wallet(user)
            let deposits = 120
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<4 {
                    group.addTask {
                        for index in stride(from: worker, to: deposits, by: 4) { _ = try await api.deposit(user, wallet, Int64(index + 1)) }
                    }
                }
                try await group.waitForAll()
            }
            try await api.sequenceEvents()
            // Two instances: each its own queue, client and pool of connections.
            let pools = (0..<2).map { _ in
                MariaDBConnectionPool(database: api.pool.databaseConfiguration, configuration: .init(size: 2), logger: APIHarness.logger)
            }
            let dispatchers = try pools.map { pool in
                WebhookDispatcher(
                    queue: WebhookQueue(pool: pool, claimLease: .seconds(30)),
                    client: try WebhookHTTPClient(policy: .allowingInsecureLocal),
                    configuration: .init(policy: .allowingInsecureLocal, claimLease: .seconds(30)))
            }
            let deliveredInAll = Locked(0)
            let deadline = ContinuousClock.now + .seconds(90)
            let outcomes = try await withThrowingTaskGroup(of: [WebhookDispatcher.Outcome].self) { group in
                for dispatcher in dispatchers {
                    group.addTask {
                        var outcomes: [WebhookDispatcher.Outcome] = []
                        // Bounded by the deadline: until every event is delivered, by either dispatcher.
                        while deliveredInAll.value < deposits, ContinuousClock.now < deadline {
                            let step = try await dispatcher.deliverDue()
                            outcomes += step
                            deliveredInAll.withLock { $0 += step.filter { $0.resolution == .delivered }.count }
                            if step.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
                        }
                        return outcomes
                    }
                }
                return try await group.reduce(into: [[WebhookDispatcher.Outcome]]()) { $0.append($1) }
            }
            let delivered = outcomes.map { $0.filter { $0.resolution == .delivered }.count }
            let undelivered = outcomes.joined().filter { $0.resolution != .delivered }
            let requests = receiver.requests
            // At least once: an event is sent again only after an attempt of it that did not end delivered (on a
            // loaded machine an attempt may overrun its time limit, or its outcome miss its claim).
            #expect(requests.count <= deposits + undelivered.count, "\(requests.count) requests; not delivered: \(undelivered)")
            #expect(Set(requests.compactMap(\.eventID)).count == deposits)
            #expect(requests.allSatisfy { $0.inFlightForEvent == 1 }, "no event was in flight twice at once")
            #expect(requests.allSatisfy { $0.signers(among: [secret]) == [secret] })
            #expect(delivered.reduce(0, +) == deposits, "each delivery is delivered once")
            print("two dispatchers delivered \(delivered) of \(deposits) events; \(undelivered.count) attempts not delivered")
            #expect(try await api.deliveries(user, endpoint, query: "&status=pending").isEmpty)
            for dispatcher in dispatchers { await dispatcher.client.shutdown() }
            for pool in pools { await pool.shutdown() }
        }
        await receiver.stop()
    }

    @Test func afterARotationBothSecretsSignForADayThenOnlyTheNewOne() async throws {
        let receiver = try await WebhookReceiver(.accept)
        try await APIHarness.run { api in
            let clock = ManualClock()
            let dispatcher = try api.dispatcher(clock: clock)
            let user = try await api.signedInUser()
            let (endpoint, oldSecret) = try await endpoint(api, user, receiver, types: ["wallet.created"])
            let rotated = try await api.send(.post, "/v1/webhook-endpoints/\(endpoint)/rotate-secret", token: user)
            #expect(rotated.status == .ok && rotated.json["previous_secret_expires_at"] is String, "\(rotated.json)")
            let newSecret = try #require(rotated.string("secret"))
            #expect(newSecret != oldSecret)
            #expect(try await api.send(.get, "/v1/webhook-endpoints/\(endpoint)", token: user).json["secret"] == nil, "shown only once")
            _ = try await api.wallet(user)
            try await api.sequenceEvents()
            clock.set(to: Date())
            #expect(try await dispatcher.deliverDue().map(\.resolution) == [.delivered])
            #expect(try #require(receiver.requests.last).signers(among: [oldSecret, newSecret]) == [oldSecret, newSecret])

            clock.advance(by: 24 * 3_600 + 1)
            _ = try await api.send(.post, "/v1/wallets", token: user, json: #"{"currency":"EUR"}"#)
            try await api.sequenceEvents()
            #expect(try await dispatcher.deliverDue().map(\.resolution) == [.delivered])
            #expect(try #require(receiver.requests.last).signers(among: [oldSecret, newSecret]) == [newSecret])
            await dispatcher.client.shutdown()
        }
        await receiver.stop()
    }

    /// A URL registered with a public name may resolve inward later (DNS rebinding): each delivery resolves the host
    /// and checks every address, so the receiver on loopback never gets the request.
    @Test func deliveriesCheckWhereTheHostResolvesAtEveryAttempt() async throws {
        let receiver = try await WebhookReceiver(.accept)
        try await APIHarness.run(webhookPolicy: .publicOnly) { api in
            let clock = ManualClock()
            let dispatcher = try api.dispatcher(clock: clock, policy: .publicOnly)
            let user = try await api.signedInUser()
            let refused = try await api.webhookEndpoint(user, url: receiver.url)
            #expect(refused.status == .badRequest && refused.code == "invalid_request", "\(refused.json)")
            let registered = try await api.webhookEndpoint(user, url: "https://hooks.example.com/in")
            let endpoint = try #require(registered.string("id"))
            // As if hooks.example.com now answered 127.0.0.1.
            try await api.pool.withConnection { connection in
                try connection.execute(
                    "UPDATE webhook_endpoints SET url = ? WHERE id = ?", [.string("https://localhost:\(receiver.port)/hook"), .string(endpoint)])
            }
            _ = try await api.wallet(user)
            try await api.sequenceEvents()
            clock.set(to: Date())
            let outcome = try #require(try await dispatcher.deliverDue().first)
            #expect(outcome.attempt.error?.contains("refused: localhost resolves to") == true, "\(outcome.attempt)")
            #expect(outcome.attempt.error?.contains("loopback") == true)
            guard case .retried = outcome.resolution else { Issue.record("\(outcome.resolution)"); return }
            #expect(receiver.requests.isEmpty, "nothing reached the loopback receiver")
            // And an http URL stored from a laxer configuration is not delivered by a strict one.
            try await api.pool.withConnection { connection in
                try connection.execute("UPDATE webhook_endpoints SET url = ? WHERE id = ?", [.string(receiver.url), .string(endpoint)])
            }
            clock.advance(by: 60)
            let insecure = try #require(try await dispatcher.deliverDue().first)
            #expect(insecure.attempt.error?.contains("https") == true, "\(insecure.attempt)")
            #expect(receiver.requests.isEmpty)
            await dispatcher.client.shutdown()
        }
        await receiver.stop()
    }
}
