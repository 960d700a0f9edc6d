import Foundation
import HTTPTypes
import Testing
import WalletCore

@Suite("Wallets and money movements over HTTP")
struct WalletsAPITests {
    /// One leg of a transaction as the caller sees it.
    struct Leg: Equatable, CustomStringConvertible {
        var account: String?
        var wallet: String?
        var amount: Int64?
        var balanceAfter: Int64?
        var description: String { "\(account ?? "-") \(wallet ?? "-") \(amount.map(String.init) ?? "-") \(balanceAfter.map(String.init) ?? "-")" }
    }

    /// Stands for a member that is present but not of its type (`null`, say), which must never be mistaken for absent.
    static let malformed = "<malformed>"

    /// The legs of a transaction's JSON, in order. A wallet id or balance that is present must be a string or
    /// number: absent and `null` are not the same answer.
    static func legs(_ transaction: [String: Any]) -> [Leg] {
        (transaction["entries"] as? [[String: Any]] ?? []).map { entry in
            Leg(
                account: entry["account"] as? String,
                wallet: entry["wallet_id"].map { $0 as? String ?? malformed },
                amount: (entry["amount"] as? NSNumber)?.int64Value,
                balanceAfter: entry["balance_after"].map { ($0 as? NSNumber)?.int64Value ?? Int64.min }
            )
        }
    }

    @Test func movesMoneyAndRecordsEveryEntry() async throws {
        try await APIHarness.run { api in
            let alice = try await api.signedInUser("alice")
            let bob = try await api.signedInUser("bob")
            let a = try await api.wallet(alice)
            let b = try await api.wallet(bob)

            // Every transaction has two legs that sum to zero; money comes from and goes to the external account.
            let deposit = try await api.deposit(alice, a, 10_000)
            #expect(deposit.status == .created)
            #expect(deposit.string("type") == "deposit")
            #expect(deposit.int("amount") == 10_000)
            #expect(deposit.string("currency") == "USD")
            #expect(deposit.json["hold_id"] is NSNull)
            #expect(Self.legs(deposit.json) == [
                Leg(account: "external", wallet: nil, amount: -10_000, balanceAfter: nil),
                Leg(account: "wallet", wallet: a, amount: 10_000, balanceAfter: 10_000),
            ])

            let withdrawal = try await api.withdraw(alice, a, 1_000)
            #expect(withdrawal.status == .created)
            #expect(withdrawal.json["hold_id"] is NSNull)
            #expect(Self.legs(withdrawal.json) == [
                Leg(account: "wallet", wallet: a, amount: -1_000, balanceAfter: 9_000),
                Leg(account: "external", wallet: nil, amount: 1_000, balanceAfter: nil),
            ])

            // The destination may be anyone's wallet; its running balance is not the sender's to see.
            let transfer = try await api.transfer(alice, from: a, to: b, 4_000)
            #expect(transfer.status == .created)
            #expect(Self.legs(transfer.json) == [
                Leg(account: "wallet", wallet: a, amount: -4_000, balanceAfter: 5_000),
                Leg(account: "wallet", wallet: b, amount: 4_000, balanceAfter: nil),
            ])
            #expect(try await api.balance(alice, a) == 5_000)
            #expect(try await api.balance(bob, b) == 4_000)
            let shown = try await api.send(.get, "/v1/wallets/\(a)", token: alice)
            #expect(shown.int("held") == 0 && shown.int("available") == 5_000, "\(shown.json)")

            // Both parties see the transfer, each with the running balance of their own wallet only; a third user
            // does not see it.
            let id = try #require(transfer.string("id"))
            let bySender = try await api.send(.get, "/v1/transactions/\(id)", token: alice)
            #expect(bySender.status == .ok)
            #expect(Self.legs(bySender.json) == Self.legs(transfer.json), "the sender reads the legs the transfer answered")
            let byReceiver = try await api.send(.get, "/v1/transactions/\(id)", token: bob)
            #expect(byReceiver.status == .ok)
            #expect(Self.legs(byReceiver.json) == [
                Leg(account: "wallet", wallet: a, amount: -4_000, balanceAfter: nil),
                Leg(account: "wallet", wallet: b, amount: 4_000, balanceAfter: 4_000),
            ])
            let carol = try await api.signedInUser("carol")
            let hidden = try await api.send(.get, "/v1/transactions/\(id)", token: carol)
            #expect(hidden.status == .notFound)

            let history = try await api.send(.get, "/v1/wallets/\(a)/entries", token: alice)
            let types = (history.json["data"] as? [[String: Any]] ?? []).compactMap { $0["type"] as? String }
            #expect(types == ["transfer", "withdrawal", "deposit"])
            #expect(history.json["next_cursor"] is NSNull)

            let report = try await api.wallet.auditor.run()
            #expect(report.isClean, "\(report)")
        }
    }

    @Test func refusesWhatTheMoneyRulesForbid() async throws {
        try await APIHarness.run { api in
            let alice = try await api.signedInUser("alice")
            let usd = try await api.wallet(alice)
            let other = try await api.wallet(alice)
            let eur = try await api.wallet(alice, currency: "EUR")
            _ = try await api.deposit(alice, usd, 500)

            let cases: [(APIHarness.Answer, HTTPResponse.Status, String)] = [
                (try await api.withdraw(alice, usd, 501), .unprocessableContent, "insufficient_funds"),
                (try await api.transfer(alice, from: usd, to: other, 501), .unprocessableContent, "insufficient_funds"),
                (try await api.transfer(alice, from: usd, to: eur, 1), .unprocessableContent, "currency_mismatch"),
                (try await api.transfer(alice, from: usd, to: usd, 1), .unprocessableContent, "same_wallet"),
                (try await api.transfer(alice, from: usd, to: "wal_00000000000000000000000000", 1), .notFound, "wallet_not_found"),
                (try await api.deposit(alice, usd, 9_007_199_254_740_991), .unprocessableContent, "balance_limit_exceeded"),
                (try await api.send(.post, "/v1/wallets", token: alice, json: #"{"currency":"XYZ"}"#), .badRequest, "invalid_currency"),
                (try await api.send(.post, "/v1/wallets", token: alice, json: #"{"currency":"usd"}"#), .badRequest, "invalid_currency"),
            ]
            for (answer, status, code) in cases {
                #expect(answer.status == status, "\(code)")
                #expect(answer.code == code)
                #expect(answer.headers[.contentType] == "application/problem+json")
            }
            // The refusal speaks of the available balance (the balance less active holds).
            let short = try await api.withdraw(alice, usd, 501)
            #expect(short.string("detail")?.contains("available balance") == true, "\(short.json)")
            #expect(short.string("detail")?.contains("500") == true, "\(short.json)")
            // Nothing moved.
            #expect(try await api.balance(alice, usd) == 500)
            #expect(try await api.wallet.auditor.run().isClean)
        }
    }

    @Test func anotherUsersWalletIsUnreachableInEveryRoute() async throws {
        try await APIHarness.run { api in
            let owner = try await api.signedInUser("owner")
            let intruder = try await api.signedInUser("intruder")
            let wallet = try await api.wallet(owner)
            let intruderWallet = try await api.wallet(intruder)
            _ = try await api.deposit(owner, wallet, 1_000)

            let answers = [
                try await api.send(.get, "/v1/wallets/\(wallet)", token: intruder),
                try await api.send(.get, "/v1/wallets/\(wallet)/entries", token: intruder),
                try await api.deposit(intruder, wallet, 1),
                try await api.withdraw(intruder, wallet, 1),
                try await api.transfer(intruder, from: wallet, to: intruderWallet, 1),
            ]
            for answer in answers {
                #expect(answer.status == .notFound)
                #expect(answer.code == "wallet_not_found")
            }
            let unknown = try await api.send(.get, "/v1/wallets/wal_00000000000000000000000000", token: owner)
            #expect(unknown.status == .notFound)
            #expect(unknown.code == answers[0].code)
            let listed = try await api.send(.get, "/v1/wallets", token: intruder)
            #expect((listed.json["data"] as? [[String: Any]])?.count == 1)
            #expect(try await api.balance(owner, wallet) == 1_000)
        }
    }

    @Test func theWalletListIsPagedWithALimitAndACursor() async throws {
        try await APIHarness.run { api in
            let owner = try await api.signedInUser()
            var created: [String] = []
            for _ in 0..<3 { created.append(try await api.wallet(owner)) }
            let first = try await api.send(.get, "/v1/wallets?limit=2", token: owner)
            #expect(first.status == .ok)
            let firstIDs = (first.json["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
            #expect(firstIDs == Array(created.sorted().prefix(2)))
            let cursor = try #require(first.string("next_cursor"))
            let second = try await api.send(.get, "/v1/wallets?limit=2&cursor=\(cursor)", token: owner)
            #expect((second.json["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [created.sorted()[2]])
            #expect(second.json["next_cursor"] is NSNull)
            let whole = try await api.send(.get, "/v1/wallets", token: owner)
            #expect((whole.json["data"] as? [[String: Any]])?.count == 3)
            #expect(whole.json["next_cursor"] is NSNull)

            for query in ["limit=0", "limit=101", "limit=x", "cursor=wal_nope", "page=2", "limit=1&limit=1"] {
                let bad = try await api.send(.get, "/v1/wallets?\(query)", token: owner)
                #expect(bad.status == .badRequest, "\(query)")
                #expect(bad.code == "invalid_request", "\(query)")
            }
        }
    }

    @Test func historyPagesVisitEveryEntryOnceWhileEntriesArrive() async throws {
        try await APIHarness.run { api in
            let alice = try await api.signedInUser("alice")
            let wallet = try await api.wallet(alice)
            for _ in 0..<25 { _ = try await api.deposit(alice, wallet, 1) }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let path = "/v1/wallets/\(wallet)/entries?limit=7" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await api.send(.get, path, token: alice)
                #expect(page.status == .ok)
                seen += (page.json["data"] as? [[String: Any]] ?? []).compactMap { $0["transaction_id"] as? String }
                cursor = page.json["next_cursor"] as? String
                // New entries arrive while the client pages; they are newer than its first page and never seen.
                _ = try await api.deposit(alice, wallet, 1)
            } while cursor != nil
            #expect(seen.count == 25)
            #expect(Set(seen).count == 25)

            for bad in ["limit=0", "limit=101", "limit=ten", "cursor=garbage", "colour=blue"] {
                let answer = try await api.send(.get, "/v1/wallets/\(wallet)/entries?\(bad)", token: alice)
                #expect(answer.status == .badRequest, "\(bad)")
                #expect(answer.code == "invalid_request")
            }
        }
    }
}
