import Foundation
import HTTPTypes
import TestSupport
import Testing
import WalletCore

@testable import WalletHTTP

/// `GET /v1/transactions`, `GET /v1/wallets/{id}/balance` and `GET /v1/wallets/{id}/statement` over HTTP, and the
/// details on history entries: shapes, paging, filters, and every refusal of a client's mistake.
@Suite("Transaction search, balances and statements over HTTP")
struct TransactionSearchAPITests {
    /// The members of every transaction representation.
    static let transactionKeys: Set<String> = [
        "id", "type", "amount", "currency", "legs", "hold_id", "reverses", "reversed_amount", "reversal_ids", "reference", "description",
        "metadata", "reason", "created_at", "entries",
    ]

    /// Expects `answer` to be `400 invalid_request` naming exactly `names`.
    static func expectInvalid(_ answer: APIHarness.Answer, naming names: [String], _ comment: String) {
        #expect(answer.status == .badRequest, "\(comment): \(answer.status) \(answer.json)")
        #expect(answer.code == "invalid_request", "\(comment)")
        #expect(answer.headers[.contentType] == Problem.mediaType, "\(comment)")
        let named = (answer.json["invalid_params"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(named == names, "\(comment): \(answer.json)")
    }

    /// The data of a page and its next cursor.
    static func page(_ answer: APIHarness.Answer) -> (items: [[String: Any]], next: String?) {
        (answer.json["data"] as? [[String: Any]] ?? [], answer.json["next_cursor"] as? String)
    }

    /// Deposits with `json` (an amount and details) into `wallet`; returns the transaction's id.
    static func detailedDeposit(_ api: APIHarness, _ token: String, _ wallet: String, _ json: String) async throws -> String? {
        let answer = try await api.send(.post, "/v1/wallets/\(wallet)/deposits", token: token, key: UUID().uuidString, json: json)
        #expect(answer.status == .created, "\(answer.json)")
        return answer.string("id")
    }

    /// Every transaction id that `query` finds, following next_cursor (at most 30 pages).
    static func search(_ api: APIHarness, _ token: String, _ query: String) async throws -> [String] {
        var ids: [String] = []
        var cursor: String?
        for _ in 0..<30 {
            let path = "/v1/transactions?" + query + (cursor.map { "&cursor=\($0)" } ?? "")
            let answer = try await api.send(.get, path, token: token)
            #expect(answer.status == .ok, "\(path): \(answer.json)")
            #expect(answer.headers[.contentType] == "application/json")
            let (items, next) = page(answer)
            for item in items { #expect(Set(item.keys) == transactionKeys, "\(item.keys)") }
            ids += items.compactMap { $0["id"] as? String }
            guard let next else { return ids }
            cursor = next
        }
        Issue.record("more than 30 pages")
        return ids
    }

    @Test func theCallersTransactionsNewestFirstFilteredAndPaged() async throws {
        try await APIHarness.run { api in
            let alice = try await api.signedInUser()
            let bob = try await api.signedInUser()
            let a = try await api.wallet(alice)
            let b = try await api.wallet(alice)
            let bobs = try await api.wallet(bob)
            var created: [String] = []
            for answer in [
                try await api.deposit(alice, a, 5_000), try await api.deposit(bob, bobs, 5_000), try await api.transfer(alice, from: a, to: b, 700),
                try await api.transfer(alice, from: a, to: bobs, 300), try await api.withdraw(alice, b, 100), try await api.transfer(bob, from: bobs, to: a, 50),
            ] {
                #expect(answer.status == .created, "\(answer.json)")
                created.append(try #require(answer.string("id")))
            }
            let referenced = try #require(
                try await Self.detailedDeposit(api, alice, b, #"{"amount":40,"reference":"ord_42","description":"a, \"quoted\" note"}"#))

            let everything = try await Self.search(api, alice, "limit=2")
            #expect(everything == [referenced, created[5], created[4], created[3], created[2], created[0]], "newest first, each once")
            #expect(try await Self.search(api, bob, "limit=100") == [created[5], created[3], created[1]], "bob sees only his")
            #expect(try await Self.search(api, alice, "wallet_id=\(b)") == [referenced, created[4], created[2]])
            #expect(try await Self.search(api, alice, "type=transfer&wallet_id=\(a)") == [created[5], created[3], created[2]])
            #expect(try await Self.search(api, alice, "reference=ord_42&type=deposit") == [referenced])
            #expect(try await Self.search(api, alice, "reference=ord_42&type=withdrawal").isEmpty)
            #expect(try await Self.search(api, bob, "reference=ord_42").isEmpty)

            // The times are exclusive: a transaction at the bound is left out.
            let third = try await api.send(.get, "/v1/transactions/\(created[3])", token: alice)
            let instant = try #require(third.string("created_at"))
            #expect(try await Self.search(api, alice, "created_after=\(instant)") == [referenced, created[5], created[4]])
            #expect(try await Self.search(api, alice, "created_before=\(instant)") == [created[2], created[0]])
            #expect(try await Self.search(api, alice, "created_after=\(instant)&created_before=\(instant)").isEmpty)
            let first = try #require(try await api.send(.get, "/v1/transactions?limit=1", token: alice).json["data"] as? [[String: Any]]).first
            #expect(first?["reference"] as? String == "ord_42" && first?["description"] as? String == "a, \"quoted\" note")
            // The other party's leg shows no balance.
            let received = try #require(
                (try await api.send(.get, "/v1/transactions?wallet_id=\(bobs)&type=transfer&limit=1", token: bob).json["data"] as? [[String: Any]])?.first
            )
            let legs = try #require(received["entries"] as? [[String: Any]])
            #expect(legs.map { $0["balance_after"] != nil } == [true, false])
        }
    }

    @Test func everyMistakeInTheSearchQueryIsABadRequestNamingIt() async throws {
        try await APIHarness.run { api in
            let alice = try await api.signedInUser()
            let bob = try await api.signedInUser()
            let bobs = try await api.wallet(bob)
            let cases: [(String, [String])] = [
                ("created_after=yesterday", ["created_after"]),
                ("created_before=2024-13-01T00:00:00Z", ["created_before"]),
                ("created_after=2024-02-30T00:00:00Z", ["created_after"]),
                ("created_after=2024-06-01%2012:00:00Z", ["created_after"]),
                ("created_after=2024-06-01T12:00:00", ["created_after"]),
                ("created_after=2016-12-31T23:59:60Z", ["created_after"]),
                ("type=refund", ["type"]),
                ("type=Deposit", ["type"]),
                ("limit=0", ["limit"]),
                ("limit=101", ["limit"]),
                ("limit=ten", ["limit"]),
                ("cursor=nope", ["cursor"]),
                ("wallet_id=abc", ["wallet_id"]),
                ("reference=has%20space", ["reference"]),
                ("reference=" + String(repeating: "x", count: 129), ["reference"]),
                ("colour=red", ["colour"]),
                ("type=deposit&type=transfer", ["type"]),
                ("limit=1&limit=1", ["limit"]),
                ("colour=red&limit=0&type=x&created_before=now", ["colour", "limit", "type", "created_before"]),
            ]
            for (query, names) in cases {
                Self.expectInvalid(try await api.send(.get, "/v1/transactions?" + query, token: alice), naming: names, query)
            }
            let foreign = try await api.send(.get, "/v1/transactions?wallet_id=\(bobs)", token: alice)
            #expect(foreign.status == .notFound && foreign.code == "wallet_not_found" && foreign.headers[.contentType] == Problem.mediaType)
            // RFC 3339 in all its spellings: an offset, lower-case separators, long fractions.
            for instant in ["2024-06-01T12:00:00+02:00", "2024-06-01t12:00:00z", "2024-06-01T12:00:00.123456789Z", "0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59.999999-23:59"] {
                let answer = try await api.send(.get, "/v1/transactions?created_after=\(instant.replacingOccurrences(of: "+", with: "%2B"))", token: alice)
                #expect(answer.status == .ok, "\(instant): \(answer.json)")
            }
        }
    }

    @Test func theBalanceAtAnInstantIsTheBalanceAfterTheLastEntryUpToIt() async throws {
        try await APIHarness.run { api in
            let alice = try await api.signedInUser()
            let wallet = try await api.wallet(alice, currency: "EUR")
            let before = try await api.send(.get, "/v1/wallets/\(wallet)/balance?at=2000-01-01T00:00:00Z", token: alice)
            #expect(before.status == .ok && before.headers[.contentType] == "application/json")
            #expect(Set(before.json.keys) == ["wallet_id", "currency", "balance", "at", "as_of_entry_id", "as_of_transaction_id"])
            #expect(before.int("balance") == 0 && before.json["as_of_entry_id"] is NSNull && before.json["as_of_transaction_id"] is NSNull)
            #expect(before.string("at") == "2000-01-01T00:00:00.000000Z" && before.string("currency") == "EUR" && before.string("wallet_id") == wallet)

            let deposit = try await api.deposit(alice, wallet, 900)
            let instant = try #require(deposit.string("created_at"))
            _ = try await api.withdraw(alice, wallet, 400)
            let at = try await api.send(.get, "/v1/wallets/\(wallet)/balance?at=\(instant)", token: alice)
            #expect(at.int("balance") == 900 && at.string("as_of_transaction_id") == deposit.string("id") && at.string("at") == instant)
            let history = try await api.send(.get, "/v1/wallets/\(wallet)/entries", token: alice)
            let deposited = try #require((history.json["data"] as? [[String: Any]])?.last)
            #expect(at.int("as_of_entry_id") == (deposited["entry_id"] as? NSNumber)?.int64Value)
            let now = try await api.send(.get, "/v1/wallets/\(wallet)/balance", token: alice)
            #expect(now.int("balance") == 500)

            Self.expectInvalid(try await api.send(.get, "/v1/wallets/\(wallet)/balance?at=noon", token: alice), naming: ["at"], "bad at")
            Self.expectInvalid(try await api.send(.get, "/v1/wallets/\(wallet)/balance?when=now", token: alice), naming: ["when"], "unknown")
            Self.expectInvalid(
                try await api.send(.get, "/v1/wallets/\(wallet)/balance?at=\(instant)&at=\(instant)", token: alice), naming: ["at"], "repeated"
            )
            let bob = try await api.signedInUser()
            let foreign = try await api.send(.get, "/v1/wallets/\(wallet)/balance", token: bob)
            #expect(foreign.status == .notFound && foreign.code == "wallet_not_found")
        }
    }

    @Test func aStatementInJSONAndCSVOpensListsAndCloses() async throws {
        try await APIHarness.run { api in
            let alice = try await api.signedInUser()
            let wallet = try await api.wallet(alice)
            let other = try await api.wallet(alice)
            _ = try await api.deposit(alice, wallet, 1_000)
            let start = try #require(try await api.deposit(alice, wallet, 250).string("created_at"))
            _ = try await api.transfer(alice, from: wallet, to: other, 300)
            _ = try #require(try await Self.detailedDeposit(api, alice, wallet, #"{"amount":5,"reference":"=HYPERLINK(1)","description":"tea, \"green\"","metadata":{"tea":"green","shop":"north, east"}}"#))
            _ = try await api.withdraw(alice, wallet, 55)
            let end = try #require(try await api.withdraw(alice, wallet, 1).string("created_at"))
            let period = "from=\(start)&to=\(end)"

            let json = try await api.send(.get, "/v1/wallets/\(wallet)/statement?\(period)", token: alice)
            #expect(json.status == .ok && json.headers[.contentType] == "application/json")
            #expect(json.json.keys.sorted() == ["closing_balance", "currency", "entries", "from", "opening_balance", "to", "wallet_id"])
            let entries = try #require(json.json["entries"] as? [[String: Any]])
            #expect(entries.map { ($0["amount"] as? NSNumber)?.int64Value ?? 0 } == [250, -300, 5, -55], "from inclusive, to exclusive")
            #expect(json.int("opening_balance") == 1_000 && json.int("closing_balance") == 900)
            #expect(json.int("opening_balance")! + entries.reduce(0) { $0 + (($1["amount"] as? NSNumber)?.int64Value ?? 0) } == json.int("closing_balance"))
            #expect(Set(entries[0].keys) == ["entry_id", "transaction_id", "type", "amount", "balance_after", "created_at", "reference", "description"])
            #expect(json.string("from") == start && json.string("to") == end)

            let csv = try await api.send(.get, "/v1/wallets/\(wallet)/statement?\(period)&format=csv", token: alice)
            #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8")
            let compact = { (text: String) in text.filter { $0 != "-" && $0 != ":" } }
            #expect(csv.headers[.contentDisposition] == #"attachment; filename="statement-\#(wallet)-\#(compact(start))-\#(compact(end)).csv""#)
            let lines = String(decoding: csv.body, as: UTF8.self).components(separatedBy: "\r\n")
            #expect(lines.count == 8 && lines.last == "", "header, opening, four entries, closing, then the final line end")
            #expect(lines[0] == "kind,entry_id,created_at,transaction_id,type,amount,balance_after,reference,description,metadata")
            #expect(lines[1] == "opening,,\(start),,,,1000,,,")
            #expect(lines[2].hasPrefix("entry,\(entries[0]["entry_id"] as! NSNumber),\(start),") && lines[2].hasSuffix(",deposit,250,1250,,,"))
            #expect(lines[4].hasSuffix(#",deposit,5,955,'=HYPERLINK(1),"tea, ""green""","{""shop"":""north, east"",""tea"":""green""}""#), "quoted, and no formula: \(lines[4])")
            #expect(lines[6] == "closing,,\(end),,,,900,,,")
        }
    }

    @Test func everyMistakeInTheStatementQueryIsABadRequestNamingIt() async throws {
        try await APIHarness.run { api in
            let alice = try await api.signedInUser()
            let wallet = try await api.wallet(alice)
            let from = "2024-06-01T00:00:00Z"
            let cases: [(String, [String])] = [
                ("", ["from", "to"]),
                ("from=\(from)", ["to"]),
                ("to=\(from)", ["from"]),
                ("from=\(from)&to=\(from)", ["to"]),
                ("from=\(from)&to=2024-05-31T23:59:59Z", ["to"]),
                ("from=\(from)&to=2024-09-01T00:00:00.000001Z", ["to"]),
                ("from=june&to=\(from)", ["from"]),
                ("from=\(from)&to=2024-07-01T00:00:00Z&format=pdf", ["format"]),
                ("from=\(from)&to=2024-07-01T00:00:00Z&from=\(from)", ["from"]),
                ("from=\(from)&to=2024-07-01T00:00:00Z&limit=5", ["limit"]),
            ]
            for (query, names) in cases {
                Self.expectInvalid(try await api.send(.get, "/v1/wallets/\(wallet)/statement?" + query, token: alice), naming: names, query)
            }
            let quarter = try await api.send(.get, "/v1/wallets/\(wallet)/statement?from=\(from)&to=2024-09-01T00:00:00Z", token: alice)
            #expect(quarter.status == .ok && quarter.int("opening_balance") == 0 && (quarter.json["entries"] as? [Any])?.isEmpty == true, "92 days exactly")
            let bob = try await api.signedInUser()
            let foreign = try await api.send(.get, "/v1/wallets/\(wallet)/statement?from=\(from)&to=2024-07-01T00:00:00Z", token: bob)
            #expect(foreign.status == .notFound && foreign.code == "wallet_not_found")
        }
    }

    @Test func historyEntriesCarryTheirIdAndTheTransactionsDetails() async throws {
        try await APIHarness.run { api in
            let alice = try await api.signedInUser()
            let wallet = try await api.wallet(alice)
            _ = try await api.deposit(alice, wallet, 10)
            _ = try #require(
                try await Self.detailedDeposit(api, alice, wallet, #"{"amount":20,"reference":"ord_7","description":"lunch","metadata":{"shop":"north","order_id":"7"}}"#))
            let history = try await api.send(.get, "/v1/wallets/\(wallet)/entries", token: alice)
            let items = try #require(history.json["data"] as? [[String: Any]])
            #expect(items.count == 2)
            for item in items {
                #expect(Set(item.keys) == ["entry_id", "transaction_id", "type", "amount", "balance_after", "created_at", "reference", "description", "metadata"])
            }
            #expect(items[0]["reference"] as? String == "ord_7" && items[0]["description"] as? String == "lunch")
            #expect(items[0]["metadata"] as? [String: String] == ["order_id": "7", "shop": "north"])
            #expect(items[1]["reference"] is NSNull && items[1]["description"] is NSNull && (items[1]["metadata"] as? [String: String])?.isEmpty == true)
            let ids = items.compactMap { ($0["entry_id"] as? NSNumber)?.int64Value }
            #expect(ids.count == 2 && ids[0] > ids[1], "entry ids grow along the history")
        }
    }
}

/// The RFC 3339 reader of query parameters.
@Suite("RFC 3339 instants in queries")
struct RFC3339ParseTests {
    @Test func readsEverySpellingAndRoundsFinerFractionsAsAsked() throws {
        let noon = Date(timeIntervalSince1970: 1_717_243_200)
        #expect(RFC3339.parse("2024-06-01T12:00:00Z", rounding: .down) == noon)
        #expect(RFC3339.parse("2024-06-01T14:30:00+02:30", rounding: .down) == noon)
        #expect(RFC3339.parse("2024-06-01T09:00:00-03:00", rounding: .down) == noon)
        #expect(RFC3339.parse("2024-06-01t12:00:00z", rounding: .down) == noon)
        #expect(RFC3339.parse("2024-06-01T12:00:00.5Z", rounding: .down) == noon + 0.5)
        let micro = try #require(RFC3339.parse("2024-06-01T12:00:00.000001Z", rounding: .down))
        #expect(RFC3339.parse("2024-06-01T12:00:00.0000001Z", rounding: .down) == noon)
        #expect(RFC3339.parse("2024-06-01T12:00:00.0000001Z", rounding: .up) == micro)
        #expect(RFC3339.parse("2024-06-01T12:00:00.0000010000Z", rounding: .up) == micro, "zeros past the microsecond are exact")
        #expect(RFC3339.format(try #require(RFC3339.parse("2024-02-29T23:59:59.999999Z", rounding: .down))) == "2024-02-29T23:59:59.999999Z")
        #expect(RFC3339.parse("1970-01-01T00:00:00Z", rounding: .down) == Date(timeIntervalSince1970: 0))
    }

    @Test func refusesWhatIsNotAnRFC3339DateTime() {
        for text in [
            "", "2024-06-01", "2024-06-01T12:00Z", "2024-06-01T12:00:00", "2024-06-01 12:00:00Z", "2024-06-01T12:00:00.Z", "2023-02-29T00:00:00Z",
            "2024-04-31T00:00:00Z", "2024-00-01T00:00:00Z", "2024-06-01T24:00:00Z", "2024-06-01T12:60:00Z", "2024-06-01T12:00:60Z",
            "2024-06-01T12:00:00+2:00", "2024-06-01T12:00:00+24:00", "2024-06-01T12:00:00Zjunk", "+2024-06-01T12:00:00Z", "２０２４-06-01T12:00:00Z",
            "2024-06-01T12:00:00." + String(repeating: "0", count: 60) + "Z",
        ] {
            #expect(RFC3339.parse(text, rounding: .down) == nil, "\(text)")
        }
    }
}
