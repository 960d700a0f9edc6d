import Foundation
import HTTPTypes
import MariaDB
import Testing
import WalletCore
import WalletHTTP

/// The event feed over HTTP: each event carries its object exactly as the API returned it to the event's owner,
/// pages follow the cursor, a type filter narrows them, every principal sees only its own, and a cursor past the
/// retention is gone.
@Suite("Event feed over HTTP")
struct EventsAPITests {
    /// `GET /v1/events` with `query`, which must answer 200 in JSON.
    private func feed(_ api: APIHarness, _ token: String, _ query: String = "", sourceLocation: SourceLocation = #_sourceLocation) async throws
        -> APIHarness.Answer
    {
        let answer = try await api.send(.get, "/v1/events" + query, token: token)
        #expect(answer.status == .ok, "\(answer.json)", sourceLocation: sourceLocation)
        #expect(answer.headers[.contentType] == "application/json", sourceLocation: sourceLocation)
        return answer
    }

    private func events(of answer: APIHarness.Answer) -> [[String: Any]] { answer.json["data"] as? [[String: Any]] ?? [] }

    @Test func eventsCarryEachObjectByteForByteAsTheAPIReturnedItToTheirOwner() async throws {
        try await APIHarness.run { api in
            let alice = try await api.signedInUser()
            let bob = try await api.signedInUser()
            let created = try await api.send(.post, "/v1/wallets", token: alice, json: #"{"currency":"EUR"}"#)
            let source = try #require(created.string("id"))
            let destination = try await api.wallet(bob, currency: "EUR")
            let deposit = try await api.deposit(alice, source, 1_000)
            let transfer = try await api.transfer(alice, from: source, to: destination, 300)
            let transferID = try #require(transfer.string("id"))
            let bobsView = try await api.send(.get, "/v1/transactions/\(transferID)", token: bob)
            let placed = try await api.send(.post, "/v1/wallets/\(source)/holds", token: alice, key: UUID().uuidString, json: #"{"amount":200}"#)
            let hold = try #require(placed.string("id"))
            let capture = try await api.send(.post, "/v1/holds/\(hold)/capture", token: alice, key: UUID().uuidString, json: #"{"amount":150}"#)
            let captured = try await api.send(.get, "/v1/holds/\(hold)", token: alice)
            let refused = try await api.withdraw(alice, source, 1_000_000)
            #expect(refused.status == .unprocessableContent)
            try await api.sequenceEvents()

            let alicesFeed = try await feed(api, alice, "?limit=100")
            #expect(events(of: alicesFeed).map { $0["type"] as? String } == [
                "wallet.created", "transaction.committed", "transaction.committed", "hold.created", "transaction.committed", "hold.captured",
            ])
            let alicesText = String(decoding: alicesFeed.body, as: UTF8.self)
            for answer in [created, deposit, transfer, placed, capture, captured] {
                let body = String(decoding: answer.body, as: UTF8.self)
                #expect(alicesText.contains(#""data":"# + body), "the event's data is the answer's body: \(body)")
            }
            let bobsFeed = try await feed(api, bob, "?limit=100")
            #expect(events(of: bobsFeed).map { $0["type"] as? String } == ["wallet.created", "transaction.committed"])
            #expect(String(decoding: bobsFeed.body, as: UTF8.self).contains(#""data":"# + String(decoding: bobsView.body, as: UTF8.self)))
            for event in events(of: alicesFeed) + events(of: bobsFeed) {
                #expect((event["id"] as? String)?.hasPrefix("evt_") == true && event["created_at"] is String)
            }
        }
    }

    @Test func pagesFollowTheCursorAFilterNarrowsThemAndEachPrincipalSeesOnlyItsOwn() async throws {
        try await APIHarness.run { api in
            let alice = try await api.signedInUser()
            let bob = try await api.signedInUser()
            let wallet = try await api.wallet(alice)
            for amount in 1...4 { _ = try await api.deposit(alice, wallet, Int64(amount)) }
            try await api.sequenceEvents()
            var seen: [String] = []
            var cursor: String?
            for _ in 0..<10 {
                let page = try await feed(api, alice, "?limit=2" + (cursor.map { "&after=\($0)" } ?? ""))
                seen += events(of: page).compactMap { $0["id"] as? String }
                cursor = page.string("next_cursor")
                if page.json["has_more"] as? Bool == false { break }
            }
            #expect(seen.count == 5 && Set(seen).count == 5, "wallet.created and four deposits, each once")
            // Nothing new: the same cursor again, an empty page.
            let idle = try await feed(api, alice, "?after=\(try #require(cursor))")
            #expect(events(of: idle).isEmpty && idle.string("next_cursor") == cursor && idle.json["has_more"] as? Bool == false)
            _ = try await api.deposit(alice, wallet, 9)
            try await api.sequenceEvents()
            let next = try await feed(api, alice, "?after=\(try #require(cursor))")
            #expect(events(of: next).count == 1)

            let filtered = try await feed(api, alice, "?types=wallet.created,hold.created")
            #expect(events(of: filtered).map { $0["type"] as? String } == ["wallet.created"])
            #expect(try await feed(api, bob).json["data"] as? [Any] != nil)
            #expect(events(of: try await feed(api, bob)).isEmpty, "another user's events are not bob's")

            for (query, parameter) in [("?after=nonsense", "after"), ("?types=wallet.deleted", "types"), ("?limit=0", "limit"), ("?page=2", "page")] {
                let answer = try await api.send(.get, "/v1/events" + query, token: alice)
                #expect(answer.status == .badRequest && answer.code == "invalid_request", "\(query)")
                #expect(answer.headers[.contentType] == "application/problem+json")
                let names = (answer.json["invalid_params"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                #expect(names == [parameter], "\(query): \(names)")
            }
            // An application's key needs events:read.
            let application = try await api.application()
            let withoutScope = try await api.apiKey(for: application, scopes: [.walletsRead])
            let refused = try await api.send(.get, "/v1/events", token: withoutScope)
            #expect(refused.status == .forbidden && refused.code == "insufficient_scope")
            let withScope = try await api.apiKey(for: application, scopes: [.eventsRead])
            #expect(events(of: try await feed(api, withScope)).isEmpty)
        }
    }

    @Test func aCursorBeforeThePurgedEventsIsGone() async throws {
        try await APIHarness.run { api in
            let alice = try await api.signedInUser()
            let wallet = try await api.wallet(alice)
            _ = try await api.deposit(alice, wallet, 5)
            try await api.sequenceEvents()
            let first = try #require(try await feed(api, alice, "?limit=1").string("next_cursor"))
            try await api.pool.withConnection { connection in
                try connection.query("UPDATE events SET created_at = NOW(6) - INTERVAL 31 DAY")
            }
            #expect(try await api.wallet.events.purge(olderThan: .seconds(30 * 86_400)) == 2)
            let gone = try await api.send(.get, "/v1/events?after=\(first)", token: alice)
            #expect(gone.status == .gone && gone.code == "cursor_expired")
            #expect(gone.headers[.contentType] == "application/problem+json")
            #expect(events(of: try await feed(api, alice)).isEmpty, "from the beginning: what is kept (nothing)")
        }
    }
}
