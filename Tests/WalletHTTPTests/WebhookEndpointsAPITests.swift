import Foundation
import HTTPTypes
import MariaDB
import Testing
import TestSupport
import WalletCore
import WalletHTTP

/// Webhook endpoints over HTTP: registration and its refusals, the secret shown once, each principal's own, the
/// limit, deletion, the deliveries listing with its filter and cursor, redelivery, and the purges' bounds.
@Suite("Webhook endpoints over HTTP")
struct WebhookEndpointsAPITests {
    @Test func endpointsAreRegisteredListedAndDeletedByTheirOwnersOnly() async throws {
        try await APIHarness.run { api in
            let user = try await api.signedInUser()
            let created = try await api.send(
                .post, "/v1/webhook-endpoints", token: user,
                json: #"{"url":"https://hooks.example.com/in","event_types":["transaction.committed","wallet.created"],"description":"orders"}"#)
            #expect(created.status == .created, "\(created.json)")
            let id = try #require(created.string("id"))
            #expect(id.hasPrefix("we_") && created.string("secret")?.hasPrefix("whsec_") == true)
            #expect(created.json["event_types"] as? [String] == ["wallet.created", "transaction.committed"], "in the documented order")
            #expect(created.string("status") == "enabled" && created.string("description") == "orders")

            let fetched = try await api.send(.get, "/v1/webhook-endpoints/\(id)", token: user)
            #expect(fetched.status == .ok && fetched.json["secret"] == nil, "the secret is shown once")
            let listed = try await api.send(.get, "/v1/webhook-endpoints", token: user)
            #expect((listed.json["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [id])
            #expect(listed.json["next_cursor"] is NSNull)

            let stranger = try await api.signedInUser()
            for (method, path) in [(HTTPRequest.Method.get, "/v1/webhook-endpoints/\(id)"), (.delete, "/v1/webhook-endpoints/\(id)"),
                (.post, "/v1/webhook-endpoints/\(id)/rotate-secret"), (.get, "/v1/webhook-endpoints/\(id)/deliveries"),
                (.get, "/v1/webhook-endpoints/we_nonsense")]
            {
                let answer = try await api.send(method, path, token: stranger)
                #expect(answer.status == .notFound && answer.code == "webhook_endpoint_not_found", "\(method) \(path): \(answer.json)")
            }
            #expect(try await api.send(.delete, "/v1/webhook-endpoints/\(id)", token: user).status == .noContent)
            #expect(try await api.send(.get, "/v1/webhook-endpoints/\(id)", token: user).status == .notFound)
            #expect(try await api.send(.delete, "/v1/webhook-endpoints/\(id)", token: user).status == .notFound)
        }
    }

    @Test func badRegistrationsAre400NamingTheFieldAndTheSeventeenthIs422() async throws {
        try await APIHarness.run(webhookPolicy: .publicOnly) { api in
            let user = try await api.signedInUser()
            let bad: [(String, String)] = [
                (#"{"url":"http://hooks.example.com/in","event_types":["wallet.created"]}"#, "url"),
                (#"{"url":"https://169.254.169.254/","event_types":["wallet.created"]}"#, "url"),
                (#"{"url":"https://localhost:8443/","event_types":["wallet.created"]}"#, "url"),
                (#"{"url":"not a url","event_types":["wallet.created"]}"#, "url"),
                (#"{"url":"https://hooks.example.com/in","event_types":[]}"#, "event_types"),
                (#"{"url":"https://hooks.example.com/in","event_types":["wallet.deleted"]}"#, "event_types"),
                (#"{"url":"https://hooks.example.com/in","event_types":["wallet.created","wallet.created"]}"#, "event_types"),
                (#"{"url":"https://hooks.example.com/in","event_types":["wallet.created"],"description":""}"#, "description"),
                (#"{"url":"https://hooks.example.com/in","event_types":["wallet.created"],"description":"\#(String(repeating: "x", count: 256))"}"#, "description"),
                (#"{"url":"https://hooks.example.com/in","event_types":["wallet.created"],"secret":"mine"}"#, "secret"),
                (#"{"event_types":["wallet.created"]}"#, "url"),
            ]
            for (body, field) in bad {
                let answer = try await api.send(.post, "/v1/webhook-endpoints", token: user, json: body)
                let named = (answer.json["invalid_params"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
                #expect(answer.status == .badRequest && answer.code == "invalid_request" && named.contains(field), "\(body): \(answer.json)")
                #expect(answer.headers[.contentType] == "application/problem+json")
            }
            #expect((try await api.send(.get, "/v1/webhook-endpoints", token: user).json["data"] as? [Any])?.isEmpty == true, "nothing half-made")
            for index in 0..<WebhookEndpoint.maximumPerOwner {
                #expect(try await api.webhookEndpoint(user, url: "https://hooks.example.com/\(index)").status == .created)
            }
            let over = try await api.webhookEndpoint(user)
            #expect(over.status == .unprocessableContent && over.code == "webhook_endpoint_limit_reached", "\(over.json)")
            #expect(try await api.webhookEndpoint(try await api.signedInUser()).status == .created, "the limit is per principal")
        }
    }

    @Test func deliveriesArePagedAndFilteredAndRedeliveryNamesWhatItQueued() async throws {
        let receiver = try await WebhookReceiver(.accept)
        try await APIHarness.run { api in
            let user = try await api.signedInUser()
            let endpoint = try #require(try await api.webhookEndpoint(user, url: receiver.url, types: ["transaction.committed"]).string("id"))
            let wallet = try await api.wallet(user)
            for amount in 1...5 { _ = try await api.deposit(user, wallet, Int64(amount)) }
            try await api.sequenceEvents()
            let dispatcher = try api.dispatcher()
            var page = try await api.send(.get, "/v1/webhook-endpoints/\(endpoint)/deliveries?limit=2", token: user)
            #expect((page.json["data"] as? [Any])?.count == 2 && page.json["next_cursor"] is String)
            var seen: [String] = []
            var cursor = ""
            for _ in 0..<10 {
                page = try await api.send(.get, "/v1/webhook-endpoints/\(endpoint)/deliveries?limit=2" + cursor, token: user)
                seen += (page.json["data"] as? [[String: Any]] ?? []).compactMap { $0["event_id"] as? String }
                guard let next = page.string("next_cursor") else { break }
                cursor = "&cursor=" + next
            }
            #expect(seen.count == 5 && Set(seen).count == 5, "every delivery once, newest first")
            // An endpoint gets at most four attempts at once: the fifth waits for the next claim.
            #expect(try await dispatcher.deliverDue().count == 4)
            #expect(try await dispatcher.deliverDue().count == 1)
            #expect(try await api.deliveries(user, endpoint, query: "&status=delivered").count == 5)
            #expect(try await api.deliveries(user, endpoint, query: "&status=pending").isEmpty)
            for query in ["?status=sent", "?cursor=nope", "?limit=0", "?colour=blue"] {
                let answer = try await api.send(.get, "/v1/webhook-endpoints/\(endpoint)/deliveries" + query, token: user)
                #expect(answer.status == .badRequest && answer.code == "invalid_request", "\(query): \(answer.json)")
            }

            let event = try #require(seen.first)
            let redelivered = try await api.send(.post, "/v1/events/\(event)/redeliver", token: user, json: #"{"endpoint_id":"\#(endpoint)"}"#)
            #expect(redelivered.status == .accepted, "\(redelivered.json)")
            let delivery = try #require((redelivered.json["data"] as? [[String: Any]])?.first)
            #expect(delivery["status"] as? String == "pending" && delivery["attempt_count"] as? Int == 1 && delivery["delivered_at"] is NSNull)
            #expect(try await dispatcher.deliverDue().map(\.eventID.rawValue) == [event])
            #expect(receiver.requests.filter { $0.eventID == event }.count == 2, "the same event id again")

            let walletCreated = try #require(try await api.allEvents(user).first?["id"] as? String)
            let unsubscribed = try await api.send(.post, "/v1/events/\(walletCreated)/redeliver", token: user)
            #expect(unsubscribed.status == .unprocessableContent && unsubscribed.code == "no_webhook_endpoint", "\(unsubscribed.json)")
            let strangers = try await api.send(.post, "/v1/events/\(event)/redeliver", token: try await api.signedInUser())
            #expect(strangers.status == .notFound && strangers.code == "event_not_found")
            let badEndpoint = try await api.send(.post, "/v1/events/\(event)/redeliver", token: user, json: #"{"endpoint_id":"nope"}"#)
            #expect(badEndpoint.status == .badRequest && badEndpoint.code == "invalid_request")
            await dispatcher.client.shutdown()
        }
        await receiver.stop()
    }

    @Test func eventsThatPendingDeliveriesNeedOutliveTheirRetentionAndResolvedDeliveriesArePurged() async throws {
        let receiver = try await WebhookReceiver(.accept)
        try await APIHarness.run { api in
            let user = try await api.signedInUser()
            let endpoint = try #require(try await api.webhookEndpoint(user, url: receiver.url, types: ["transaction.committed"]).string("id"))
            let wallet = try await api.wallet(user)
            for amount in 1...3 { _ = try await api.deposit(user, wallet, Int64(amount)) }
            try await api.sequenceEvents()
            let later = Date().addingTimeInterval(60)
            #expect(try await api.wallet.events.purge(olderThan: .zero, now: later) == 1, "only wallet.created: no delivery needs it")
            let dispatcher = try api.dispatcher()
            #expect(try await dispatcher.deliverDue().count == 3)
            #expect(try await api.wallet.webhooks.purge(olderThan: .seconds(3_600), now: later) == 0, "resolved deliveries are kept as long as events")
            #expect(try await api.wallet.events.purge(olderThan: .zero, now: later) == 3, "delivered: nothing holds them")
            #expect(try await api.wallet.webhooks.purge(olderThan: .zero, now: later) == 3)
            #expect(try await api.deliveries(user, endpoint).isEmpty)
            #expect(try await api.wallet.auditor.run().eventProblems.isEmpty)

            // A purge that forgot the bound would leave a pending delivery with nothing to send: the audit names it.
            _ = try await api.deposit(user, wallet, 4)
            try await api.sequenceEvents()
            try await api.pool.withConnection { connection in
                try connection.execute("DELETE FROM events WHERE type = 'transaction.committed'")
            }
            let problems = try await api.wallet.auditor.run().eventProblems.map(\.description)
            #expect(problems.contains { $0.contains("has no event to send") && $0.contains(endpoint) }, "\(problems)")
            await dispatcher.client.shutdown()
        }
        await receiver.stop()
    }
}
