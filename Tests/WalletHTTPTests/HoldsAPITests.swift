import Foundation
import HTTPTypes
import MariaDB
import Testing
import WalletCore
import WalletHTTP

/// Holds over HTTP: placing one against the available balance, capturing all or part of it (out of the ledger or
/// into another wallet), voiding it, its expiry as every read shows it before any sweeper ran, the refusals of
/// terminal holds pinned to their keys, reads and paging, and who may do what.
@Suite("Holds over HTTP")
struct HoldsAPITests {
    /// Well formed and never generated (the time part of every real id is far from zero).
    static let unknownHold = "hld_" + String(repeating: "0", count: 26)
    static let unknownWallet = "wal_" + String(repeating: "0", count: 26)

    /// Speaks the hold routes and checks every answer's media type: JSON for a success, a problem for a refusal.
    struct Client: Sendable {
        let api: APIHarness

        func send(
            _ method: HTTPRequest.Method,
            _ path: String,
            token: String?,
            key: String? = nil,
            json body: String? = nil,
            headers: HTTPFields = [:],
            sourceLocation: SourceLocation = #_sourceLocation
        ) async throws -> APIHarness.Answer {
            let answer = try await api.send(method, path, token: token, key: key, json: body, headers: headers)
            let expected = answer.status.code < 400 ? "application/json" : "application/problem+json"
            #expect(answer.headers[.contentType] == expected, "\(method) \(path): \(answer.status)", sourceLocation: sourceLocation)
            return answer
        }

        func place(
            _ token: String, _ wallet: String, json body: String, key: String = UUID().uuidString,
            sourceLocation: SourceLocation = #_sourceLocation
        ) async throws -> APIHarness.Answer {
            try await send(.post, "/v1/wallets/\(wallet)/holds", token: token, key: key, json: body, sourceLocation: sourceLocation)
        }

        func place(
            _ token: String, _ wallet: String, _ amount: Int64, key: String = UUID().uuidString,
            sourceLocation: SourceLocation = #_sourceLocation
        ) async throws -> APIHarness.Answer {
            try await place(token, wallet, json: #"{"amount":\#(amount)}"#, key: key, sourceLocation: sourceLocation)
        }

        /// Places a hold that must be accepted; returns its id.
        func placed(_ token: String, _ wallet: String, _ amount: Int64, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
            let answer = try await place(token, wallet, amount, sourceLocation: sourceLocation)
            #expect(answer.status == .created, "\(answer.json)", sourceLocation: sourceLocation)
            return try #require(answer.string("id"), sourceLocation: sourceLocation)
        }

        /// `POST /v1/holds/{id}/capture` with `body` (nil: no body at all).
        func capture(
            _ token: String, _ hold: String, json body: String? = "{}", key: String = UUID().uuidString,
            sourceLocation: SourceLocation = #_sourceLocation
        ) async throws -> APIHarness.Answer {
            try await send(.post, "/v1/holds/\(hold)/capture", token: token, key: key, json: body, sourceLocation: sourceLocation)
        }

        /// `POST /v1/holds/{id}/void` with `body` (nil: no body at all).
        func void(
            _ token: String, _ hold: String, json body: String? = nil, key: String = UUID().uuidString,
            sourceLocation: SourceLocation = #_sourceLocation
        ) async throws -> APIHarness.Answer {
            try await send(.post, "/v1/holds/\(hold)/void", token: token, key: key, json: body, sourceLocation: sourceLocation)
        }

        func hold(_ token: String, _ hold: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> APIHarness.Answer {
            try await send(.get, "/v1/holds/\(hold)", token: token, sourceLocation: sourceLocation)
        }

        func wallet(_ token: String, _ wallet: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> APIHarness.Answer {
            try await send(.get, "/v1/wallets/\(wallet)", token: token, sourceLocation: sourceLocation)
        }

        /// The ids of one page of `wallet`'s holds and its `next_cursor`.
        func list(
            _ token: String, _ wallet: String, query: String = "", sourceLocation: SourceLocation = #_sourceLocation
        ) async throws -> (ids: [String], next: String?) {
            let answer = try await send(.get, "/v1/wallets/\(wallet)/holds" + (query.isEmpty ? "" : "?\(query)"), token: token, sourceLocation: sourceLocation)
            #expect(answer.status == .ok, "\(query): \(answer.json)", sourceLocation: sourceLocation)
            #expect(answer.json["next_cursor"] is String || answer.json["next_cursor"] is NSNull, "\(query): \(answer.json)", sourceLocation: sourceLocation)
            let ids = (answer.json["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            return (ids, answer.json["next_cursor"] as? String)
        }

        /// The wallet's `balance`, `held` and `available`.
        func funds(_ token: String, _ wallet: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Funds {
            let answer = try await self.wallet(token, wallet, sourceLocation: sourceLocation)
            #expect(answer.status == .ok, sourceLocation: sourceLocation)
            return Funds(balance: answer.int("balance"), held: answer.int("held"), available: answer.int("available"))
        }
    }

    struct Funds: Equatable, CustomStringConvertible {
        var balance: Int64?
        var held: Int64?
        var available: Int64?
        init(balance: Int64?, held: Int64?, available: Int64?) {
            (self.balance, self.held, self.available) = (balance, held, available)
        }
        var description: String { "balance \(balance ?? -1), held \(held ?? -1), available \(available ?? -1)" }
    }

    static func date(_ text: String?) -> Date? {
        guard let text else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    /// Checks that `answer` is a replay of `first`: same status, byte-identical body, marked as replayed.
    static func expectReplay(_ answer: APIHarness.Answer, of first: APIHarness.Answer, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(answer.status == first.status, sourceLocation: sourceLocation)
        #expect(answer.body == first.body, sourceLocation: sourceLocation)
        #expect(answer.headers[MovementsController.replayedHeader] == "true", sourceLocation: sourceLocation)
        #expect(first.headers[MovementsController.replayedHeader] == nil, "the first answer is not a replay", sourceLocation: sourceLocation)
    }

    typealias Leg = WalletsAPITests.Leg

    // MARK: - Placing

    @Test func aHoldIsPlacedWithItsShapeAndReservesPartOfTheBalance() async throws {
        try await APIHarness.run { api in
            let holds = Client(api: api)
            let alice = try await api.signedInUser("alice")
            let wallet = try await api.wallet(alice)
            _ = try await api.deposit(alice, wallet, 1_000)

            let before = Date()
            let placed = try await holds.place(alice, wallet, 600)
            #expect(placed.status == .created, "\(placed.json)")
            #expect(placed.headers[MovementsController.replayedHeader] == nil)
            let json = placed.json
            #expect(Set(json.keys) == [
                "id", "wallet_id", "amount", "currency", "status", "captured_amount", "transaction_id", "reference", "description",
                "metadata", "expires_at", "created_at", "resolved_at",
            ])
            let id = try #require(placed.string("id"))
            #expect(HoldID(id) != nil, "\(id) is a hold id")
            #expect(placed.string("wallet_id") == wallet)
            #expect(placed.int("amount") == 600)
            #expect(placed.string("currency") == "USD")
            #expect(placed.string("status") == "active")
            #expect(placed.int("captured_amount") == 0)
            #expect(json["transaction_id"] is NSNull)
            #expect(json["description"] is NSNull)
            #expect(json["resolved_at"] is NSNull)
            // Seven days unless the request says otherwise.
            let created = try #require(Self.date(placed.string("created_at")))
            let expires = try #require(Self.date(placed.string("expires_at")))
            #expect(abs(expires.timeIntervalSince(created) - 604_800) < 0.001, "\(created) → \(expires)")
            #expect(created >= before - 1 && created <= Date() + 1)

            // The hold reads as placed, and the wallet shows what it reserves.
            let read = try await holds.hold(alice, id)
            #expect(read.status == .ok)
            #expect(read.body == placed.body, "GET /v1/holds/{id} shows the hold as the placement answered it")
            #expect(try await holds.funds(alice, wallet) == Funds(balance: 1_000, held: 600, available: 400))
            let listed = try await api.send(.get, "/v1/wallets", token: alice)
            let entry = try #require((listed.json["data"] as? [[String: Any]])?.first)
            #expect((entry["held"] as? NSNumber)?.int64Value == 600 && (entry["available"] as? NSNumber)?.int64Value == 400, "\(entry)")

            // Placing moved no money: the history is the deposit alone.
            let history = try await api.send(.get, "/v1/wallets/\(wallet)/entries", token: alice)
            #expect((history.json["data"] as? [Any])?.count == 1)

            // The same key with the same request replays the hold; a different request under it is refused.
            let again = try await holds.place(alice, wallet, 400, key: "place-1")
            #expect(again.status == .created, "\(again.json)")
            let replay = try await holds.place(alice, wallet, 400, key: "place-1")
            Self.expectReplay(replay, of: again)
            let reused = try await holds.place(alice, wallet, 100, key: "place-1")
            #expect(reused.status == .unprocessableContent && reused.code == "idempotency_key_reused", "\(reused.json)")
            #expect(try await holds.funds(alice, wallet) == Funds(balance: 1_000, held: 1_000, available: 0))
            #expect(try await api.wallet.auditor.run().isClean)
        }
    }

    @Test func expiryAndDescriptionAreBoundedAndBadRequestsAreRefusedBeforeTheKeyIsClaimed() async throws {
        try await APIHarness.run { api in
            let holds = Client(api: api)
            let alice = try await api.signedInUser("alice")
            let wallet = try await api.wallet(alice)
            _ = try await api.deposit(alice, wallet, 10_000)

            let longest = String(repeating: "\u{E9}", count: MovementDescription.maximumLength)
            let accepted: [(String, Int64?, String?)] = [
                (#"{"amount":1,"expires_in_seconds":1}"#, 1, nil),
                (#"{"amount":1,"expires_in_seconds":2592000}"#, 2_592_000, nil),
                (#"{"amount":1,"expires_in_seconds":null,"description":null}"#, 604_800, nil),
                (#"{"amount":1,"description":"ride 4411 pre-authorization"}"#, 604_800, "ride 4411 pre-authorization"),
                (#"{"amount":1,"description":"\#(longest)"}"#, 604_800, longest),
                (#"{"amount":1,"description":" x "}"#, 604_800, " x "),
            ]
            var shortestExpiry: Date?
            for (body, seconds, description) in accepted {
                let answer = try await holds.place(alice, wallet, json: body)
                #expect(answer.status == .created, "\(body): \(answer.json)")
                let created = try #require(Self.date(answer.string("created_at")))
                let expires = try #require(Self.date(answer.string("expires_at")))
                if seconds == 1 { shortestExpiry = expires }
                #expect(abs(expires.timeIntervalSince(created) - Double(seconds ?? 0)) < 0.001, "\(body)")
                #expect(answer.string("description") == description, "\(body): stored and shown as given")
            }

            let refused: [(String, String)] = [
                (#"{"amount":1,"expires_in_seconds":0}"#, "expires_in_seconds"),
                (#"{"amount":1,"expires_in_seconds":2592001}"#, "expires_in_seconds"),
                (#"{"amount":1,"expires_in_seconds":-1}"#, "expires_in_seconds"),
                (#"{"amount":1,"expires_in_seconds":60.5}"#, "expires_in_seconds"),
                (#"{"amount":1,"expires_in_seconds":"60"}"#, "expires_in_seconds"),
                (#"{"amount":1,"description":""}"#, "description"),
                (#"{"amount":1,"description":"\#(longest)x"}"#, "description"),
                (#"{"amount":1,"description":"bell\u0007"}"#, "description"),
                (#"{"amount":1,"description":"line\nbreak"}"#, "description"),
                (#"{"amount":1,"description":42}"#, "description"),
                (#"{"amount":0}"#, "amount"),
                (#"{"amount":9007199254740992}"#, "amount"),
                (#"{"amount":"5"}"#, "amount"),
                (#"{}"#, "amount"),
                (#"{"amount":1,"note":"x"}"#, "note"),
                ("[]", "body"),
            ]
            for (body, field) in refused {
                // Each is refused before the key is claimed: the same key then places a good hold.
                let key = UUID().uuidString
                let answer = try await holds.place(alice, wallet, json: body, key: key)
                #expect(answer.status == .badRequest && answer.code == "invalid_request", "\(body): \(answer.json)")
                let names = (answer.json["invalid_params"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
                #expect(names.contains(field), "\(body): \(names)")
                let good = try await holds.place(alice, wallet, 1, key: key)
                #expect(good.status == .created && good.headers[MovementsController.replayedHeader] == nil, "\(body): \(good.json)")
            }

            // A path id that is not a wallet id is a malformed request, also not pinned.
            let malformed = try await holds.place(alice, "wal_nope", 1, key: "malformed-path")
            #expect(malformed.status == .badRequest && malformed.code == "invalid_request", "\(malformed.json)")
            #expect((malformed.json["invalid_params"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["id"])
            #expect(try await holds.place(alice, wallet, 1, key: "malformed-path").status == .created)

            // Without a key, or with a body that is not JSON.
            let keyless = try await holds.send(.post, "/v1/wallets/\(wallet)/holds", token: alice, json: #"{"amount":1}"#)
            #expect(keyless.status == .badRequest && keyless.code == "idempotency_key_missing")
            let text = try await holds.send(
                .post, "/v1/wallets/\(wallet)/holds", token: alice, key: UUID().uuidString, json: "amount=1", headers: [.contentType: "text/plain"]
            )
            #expect(text.status == .unsupportedMediaType && text.code == "unsupported_media_type")
            let nothing = try await holds.send(.post, "/v1/wallets/\(wallet)/holds", token: alice, key: UUID().uuidString)
            #expect(nothing.status == .unsupportedMediaType && nothing.code == "unsupported_media_type", "a hold needs a body: \(nothing.json)")

            // Every hold of 1 is held but the one of a second, once its second has passed.
            let expiry = try #require(shortestExpiry)
            try await Task.sleep(for: .milliseconds(Int(max(0, expiry.timeIntervalSinceNow) * 1000) + 50))
            let active = Int64(accepted.count + refused.count + 1 - 1)
            let funds = try await holds.funds(alice, wallet)
            #expect(funds == Funds(balance: 10_000, held: active, available: 10_000 - active), "\(funds)")
        }
    }

    @Test func holdsWithdrawalsAndTransfersAllDrawOnTheAvailableBalance() async throws {
        try await APIHarness.run { api in
            let holds = Client(api: api)
            let alice = try await api.signedInUser("alice")
            let wallet = try await api.wallet(alice)
            let other = try await api.wallet(alice)
            _ = try await api.deposit(alice, wallet, 1_000)
            _ = try await holds.placed(alice, wallet, 600)

            // The balance is 1000 but only 400 of it is available.
            let refusals = [
                try await holds.place(alice, wallet, 401),
                try await api.withdraw(alice, wallet, 401),
                try await api.transfer(alice, from: wallet, to: other, 401),
            ]
            for answer in refusals {
                #expect(answer.status == .unprocessableContent && answer.code == "insufficient_funds", "\(answer.json)")
                #expect(answer.headers[.contentType] == "application/problem+json")
                let detail = answer.string("detail") ?? ""
                #expect(detail.contains("available balance") && detail.contains("400"), "\(detail)")
            }
            // A refused hold is pinned to its key like any refusal, even once the money is there.
            let pinned = try await holds.place(alice, wallet, 401, key: "too-much")
            _ = try await api.deposit(alice, wallet, 1_000)
            Self.expectReplay(try await holds.place(alice, wallet, 401, key: "too-much"), of: pinned)
            #expect(try await holds.funds(alice, wallet) == Funds(balance: 2_000, held: 600, available: 1_400))

            // Up to the available balance, all three succeed; then nothing is available.
            #expect(try await holds.place(alice, wallet, 400).status == .created)
            #expect(try await api.withdraw(alice, wallet, 500).status == .created)
            #expect(try await api.transfer(alice, from: wallet, to: other, 500).status == .created)
            #expect(try await holds.funds(alice, wallet) == Funds(balance: 1_000, held: 1_000, available: 0))
            #expect(try await holds.place(alice, wallet, 1).code == "insufficient_funds")
            #expect(try await api.withdraw(alice, wallet, 1).code == "insufficient_funds")

            // A wallet without money can hold nothing.
            #expect(try await holds.place(alice, other, 501).code == "insufficient_funds")
            #expect(try await api.wallet.auditor.run().isClean)
        }
    }

    // MARK: - Capturing

    @Test func aWholeCaptureIsAWithdrawalFromTheHoldsWallet() async throws {
        try await APIHarness.run { api in
            let holds = Client(api: api)
            let alice = try await api.signedInUser("alice")
            let wallet = try await api.wallet(alice)
            _ = try await api.deposit(alice, wallet, 1_000)
            let hold = try await holds.placed(alice, wallet, 600)

            let captured = try await holds.capture(alice, hold, key: "capture-1")
            #expect(captured.status == .created, "\(captured.json)")
            let transaction = try #require(captured.string("id"))
            #expect(captured.string("type") == "withdrawal")
            #expect(captured.int("amount") == 600)
            #expect(captured.string("currency") == "USD")
            #expect(captured.string("hold_id") == hold)
            #expect(WalletsAPITests.legs(captured.json) == [
                Leg(account: "wallet", wallet: wallet, amount: -600, balanceAfter: 400),
                Leg(account: "external", wallet: nil, amount: 600, balanceAfter: nil),
            ])

            let read = try await holds.hold(alice, hold)
            #expect(read.string("status") == "captured")
            #expect(read.int("captured_amount") == 600)
            #expect(read.string("transaction_id") == transaction)
            let resolved = try #require(Self.date(read.string("resolved_at")))
            #expect(resolved >= (Self.date(read.string("created_at")) ?? .distantFuture))
            #expect(try await holds.funds(alice, wallet) == Funds(balance: 400, held: 0, available: 400))

            // The transaction reads as it was answered, and the history shows the capture.
            let shown = try await holds.send(.get, "/v1/transactions/\(transaction)", token: alice)
            #expect(shown.status == .ok)
            #expect(WalletsAPITests.legs(shown.json) == WalletsAPITests.legs(captured.json))
            #expect(shown.string("hold_id") == hold && shown.string("type") == "withdrawal")
            let history = try await api.send(.get, "/v1/wallets/\(wallet)/entries", token: alice)
            #expect((history.json["data"] as? [[String: Any]])?.first?["transaction_id"] as? String == transaction)

            // The same key replays the capture; it moves nothing twice.
            Self.expectReplay(try await holds.capture(alice, hold, key: "capture-1"), of: captured)
            #expect(try await holds.funds(alice, wallet) == Funds(balance: 400, held: 0, available: 400))
            #expect(try await api.wallet.auditor.run().isClean)
        }
    }

    @Test func aCaptureWithNoBodyAtAllTakesTheWholeHold() async throws {
        try await APIHarness.run { api in
            let holds = Client(api: api)
            let alice = try await api.signedInUser("alice")
            let wallet = try await api.wallet(alice)
            _ = try await api.deposit(alice, wallet, 1_000)
            let hold = try await holds.placed(alice, wallet, 250)
            let captured = try await holds.capture(alice, hold, json: nil)
            #expect(captured.status == .created, "\(captured.json)")
            #expect(captured.int("amount") == 250 && captured.string("type") == "withdrawal")
            #expect(try await holds.funds(alice, wallet) == Funds(balance: 750, held: 0, available: 750))

            // `null` is as absent; a body that is not an object, or has another field, is refused.
            let second = try await holds.placed(alice, wallet, 100)
            for body in ["[]", #"{"amount":0}"#, #"{"amount":"5"}"#, #"{"amount":5.5}"#, #"{"to_wallet_id":"wal_nope"}"#, #"{"to_wallet_id":5}"#, #"{"note":1}"#] {
                let answer = try await holds.capture(alice, second, json: body, key: "bad-capture")
                #expect(answer.status == .badRequest && answer.code == "invalid_request", "\(body): \(answer.json)")
            }
            let nulls = try await holds.capture(alice, second, json: #"{"amount":null,"to_wallet_id":null}"#, key: "bad-capture")
            #expect(nulls.status == .created && nulls.int("amount") == 100, "the refusals did not claim the key: \(nulls.json)")
            #expect(try await holds.funds(alice, wallet) == Funds(balance: 650, held: 0, available: 650))
        }
    }

    @Test func aPartialCaptureReleasesTheRest() async throws {
        try await APIHarness.run { api in
            let holds = Client(api: api)
            let alice = try await api.signedInUser("alice")
            let wallet = try await api.wallet(alice)
            _ = try await api.deposit(alice, wallet, 1_000)
            let hold = try await holds.placed(alice, wallet, 700)
            _ = try await holds.placed(alice, wallet, 100)
            #expect(try await holds.funds(alice, wallet) == Funds(balance: 1_000, held: 800, available: 200))

            let captured = try await holds.capture(alice, hold, json: #"{"amount":300}"#)
            #expect(captured.status == .created, "\(captured.json)")
            #expect(captured.int("amount") == 300)
            #expect(WalletsAPITests.legs(captured.json) == [
                Leg(account: "wallet", wallet: wallet, amount: -300, balanceAfter: 700),
                Leg(account: "external", wallet: nil, amount: 300, balanceAfter: nil),
            ])
            // The other 400 of the hold is available again; the other hold still reserves its 100.
            #expect(try await holds.funds(alice, wallet) == Funds(balance: 700, held: 100, available: 600))
            let read = try await holds.hold(alice, hold)
            #expect(read.string("status") == "captured" && read.int("captured_amount") == 300 && read.int("amount") == 700, "\(read.json)")
            #expect(try await api.withdraw(alice, wallet, 600).status == .created)
            #expect(try await holds.funds(alice, wallet) == Funds(balance: 100, held: 100, available: 0))
            #expect(try await api.wallet.auditor.run().isClean)
        }
    }

    @Test func aCaptureIntoAnotherUsersWalletIsATransferEachSideSeesItsOwnBalance() async throws {
        try await APIHarness.run { api in
            let holds = Client(api: api)
            let rider = try await api.signedInUser("rider")
            let driver = try await api.signedInUser("driver")
            let ridersWallet = try await api.wallet(rider)
            let driversWallet = try await api.wallet(driver)
            _ = try await api.deposit(rider, ridersWallet, 5_000)
            _ = try await api.deposit(driver, driversWallet, 200)
            let hold = try await holds.placed(rider, ridersWallet, 2_000)

            let captured = try await holds.capture(rider, hold, json: #"{"amount":1500,"to_wallet_id":"\#(driversWallet)"}"#)
            #expect(captured.status == .created, "\(captured.json)")
            #expect(captured.string("type") == "transfer")
            #expect(captured.int("amount") == 1_500)
            #expect(captured.string("hold_id") == hold)
            // The capturer sees its own running balance, not the receiver's.
            #expect(WalletsAPITests.legs(captured.json) == [
                Leg(account: "wallet", wallet: ridersWallet, amount: -1_500, balanceAfter: 3_500),
                Leg(account: "wallet", wallet: driversWallet, amount: 1_500, balanceAfter: nil),
            ])
            let transaction = try #require(captured.string("id"))

            // The receiver reads the transaction with its own running balance and not the capturer's.
            let byDriver = try await holds.send(.get, "/v1/transactions/\(transaction)", token: driver)
            #expect(byDriver.status == .ok)
            #expect(byDriver.string("hold_id") == hold && byDriver.string("type") == "transfer")
            #expect(WalletsAPITests.legs(byDriver.json) == [
                Leg(account: "wallet", wallet: ridersWallet, amount: -1_500, balanceAfter: nil),
                Leg(account: "wallet", wallet: driversWallet, amount: 1_500, balanceAfter: 1_700),
            ])
            let byRider = try await holds.send(.get, "/v1/transactions/\(transaction)", token: rider)
            #expect(WalletsAPITests.legs(byRider.json) == WalletsAPITests.legs(captured.json))
            // A third party sees nothing of it.
            let stranger = try await api.signedInUser("stranger")
            let hidden = try await holds.send(.get, "/v1/transactions/\(transaction)", token: stranger)
            #expect(hidden.status == .notFound)

            #expect(try await holds.funds(rider, ridersWallet) == Funds(balance: 3_500, held: 0, available: 3_500))
            #expect(try await holds.funds(driver, driversWallet) == Funds(balance: 1_700, held: 0, available: 1_700))
            // The hold is the rider's: the receiver cannot read it.
            #expect(try await holds.hold(driver, hold).code == "hold_not_found")
            #expect(try await api.wallet.auditor.run().isClean)
        }
    }

    @Test func capturesThatTheMoneyRulesForbidAreRefusedPinnedAndLeaveTheHoldActive() async throws {
        try await APIHarness.run { api in
            let holds = Client(api: api)
            let alice = try await api.signedInUser("alice")
            let bob = try await api.signedInUser("bob")
            let wallet = try await api.wallet(alice)
            let euros = try await api.wallet(alice, currency: "EUR")
            let bobs = try await api.wallet(bob)
            _ = try await api.deposit(alice, wallet, 1_000)
            let hold = try await holds.placed(alice, wallet, 500)

            let cases: [(String, HTTPResponse.Status, String)] = [
                (#"{"amount":501}"#, .unprocessableContent, "amount_exceeds_hold"),
                (#"{"to_wallet_id":"\#(euros)"}"#, .unprocessableContent, "currency_mismatch"),
                (#"{"amount":100,"to_wallet_id":"\#(wallet)"}"#, .unprocessableContent, "same_wallet"),
                (#"{"to_wallet_id":"\#(Self.unknownWallet)"}"#, .notFound, "wallet_not_found"),
            ]
            for (body, status, code) in cases {
                let key = UUID().uuidString
                let first = try await holds.capture(alice, hold, json: body, key: key)
                #expect(first.status == status && first.code == code, "\(body): \(first.json)")
                Self.expectReplay(try await holds.capture(alice, hold, json: body, key: key), of: first)
            }
            // The hold is untouched by every refusal, and can still be captured in full.
            let read = try await holds.hold(alice, hold)
            #expect(read.string("status") == "active" && read.int("captured_amount") == 0, "\(read.json)")
            #expect(try await holds.funds(alice, wallet) == Funds(balance: 1_000, held: 500, available: 500))
            let captured = try await holds.capture(alice, hold, json: #"{"amount":500,"to_wallet_id":"\#(bobs)"}"#)
            #expect(captured.status == .created, "\(captured.json)")
            #expect(try await api.balance(bob, bobs) == 500)
            #expect(try await holds.funds(alice, wallet) == Funds(balance: 500, held: 0, available: 500))
            #expect(try await api.wallet.auditor.run().isClean)
        }
    }

    // MARK: - Voiding and terminal states

    @Test func aVoidReleasesTheWholeAmountWithOrWithoutABody() async throws {
        try await APIHarness.run { api in
            let holds = Client(api: api)
            let alice = try await api.signedInUser("alice")
            let wallet = try await api.wallet(alice)
            _ = try await api.deposit(alice, wallet, 1_000)
            let first = try await holds.placed(alice, wallet, 400)
            let second = try await holds.placed(alice, wallet, 600)
            #expect(try await holds.funds(alice, wallet) == Funds(balance: 1_000, held: 1_000, available: 0))

            let voided = try await holds.void(alice, first, json: nil, key: "void-1")
            #expect(voided.status == .ok, "\(voided.json)")
            #expect(voided.string("id") == first && voided.string("status") == "voided", "\(voided.json)")
            #expect(voided.int("captured_amount") == 0 && voided.json["transaction_id"] is NSNull)
            #expect(Self.date(voided.string("resolved_at")) != nil, "\(voided.json)")
            #expect(try await holds.funds(alice, wallet) == Funds(balance: 1_000, held: 600, available: 400))
            Self.expectReplay(try await holds.void(alice, first, json: nil, key: "void-1"), of: voided)
            #expect(try await holds.hold(alice, first).body == voided.body, "the hold reads as the void answered it")

            let withEmptyObject = try await holds.void(alice, second, json: "{}")
            #expect(withEmptyObject.status == .ok && withEmptyObject.string("status") == "voided", "\(withEmptyObject.json)")
            #expect(try await holds.funds(alice, wallet) == Funds(balance: 1_000, held: 0, available: 1_000))
            // No money moved at all.
            let history = try await api.send(.get, "/v1/wallets/\(wallet)/entries", token: alice)
            #expect((history.json["data"] as? [Any])?.count == 1)

            // A void takes no fields, and is refused before its key is claimed when it has one.
            let third = try await holds.placed(alice, wallet, 100)
            for body in [#"{"amount":100}"#, "[]", "{"] {
                let bad = try await holds.void(alice, third, json: body, key: "void-3")
                #expect(bad.status == .badRequest && bad.code == "invalid_request", "\(body): \(bad.json)")
            }
            #expect(try await holds.void(alice, third, key: "void-3").status == .ok)
            #expect(try await api.withdraw(alice, wallet, 1_000).status == .created, "the whole balance is available again")
            #expect(try await api.wallet.auditor.run().isClean)
        }
    }

    @Test func terminalHoldsRefuseEveryCaptureAndVoidAndTheRefusalsReplay() async throws {
        try await APIHarness.run { api in
            let holds = Client(api: api)
            let alice = try await api.signedInUser("alice")
            let wallet = try await api.wallet(alice)
            _ = try await api.deposit(alice, wallet, 1_000)
            let captured = try await holds.placed(alice, wallet, 300)
            #expect(try await holds.capture(alice, captured, json: #"{"amount":100}"#).status == .created)
            let voided = try await holds.placed(alice, wallet, 300)
            #expect(try await holds.void(alice, voided).status == .ok)
            #expect(try await holds.funds(alice, wallet) == Funds(balance: 900, held: 0, available: 900))

            for (hold, code) in [(captured, "hold_captured"), (voided, "hold_voided")] {
                let before = try await holds.hold(alice, hold).body
                let attempts: [(String, @Sendable (String) async throws -> APIHarness.Answer)] = [
                    ("capture", { key in try await holds.capture(alice, hold, key: key) }),
                    ("partial capture", { key in try await holds.capture(alice, hold, json: #"{"amount":1}"#, key: key) }),
                    ("void", { key in try await holds.void(alice, hold, key: key) }),
                ]
                for (name, attempt) in attempts {
                    let key = UUID().uuidString
                    let first = try await attempt(key)
                    #expect(first.status == .unprocessableContent && first.code == code, "\(name) of a \(code): \(first.json)")
                    Self.expectReplay(try await attempt(key), of: first)
                }
                #expect(try await holds.hold(alice, hold).body == before, "a refusal changes nothing of the hold")
            }
            #expect(try await holds.funds(alice, wallet) == Funds(balance: 900, held: 0, available: 900))
            #expect(try await api.wallet.auditor.run().isClean)
        }
    }

    @Test func aHoldPastItsTimeIsExpiredInEveryReadBeforeAnySweeperRan() async throws {
        try await APIHarness.run { api in
            let holds = Client(api: api)
            let alice = try await api.signedInUser("alice")
            let wallet = try await api.wallet(alice)
            _ = try await api.deposit(alice, wallet, 1_000)
            let lasting = try await holds.placed(alice, wallet, 200)
            let placed = try await holds.place(alice, wallet, json: #"{"amount":800,"expires_in_seconds":3}"#)
            #expect(placed.status == .created)
            let brief = try #require(placed.string("id"))
            let expiresAt = try #require(Self.date(placed.string("expires_at")))
            let whileActive = try await holds.funds(alice, wallet)
            if Date() < expiresAt {
                #expect(whileActive == Funds(balance: 1_000, held: 1_000, available: 0), "read before the hold's time")
            } else {
                // A loaded machine may answer after the hold's time; then the read may see it either way.
                #expect([Funds(balance: 1_000, held: 1_000, available: 0), Funds(balance: 1_000, held: 200, available: 800)].contains(whileActive))
            }
            // A capture that answers while the hold is active, to replay after it expired.
            let keptKey = "kept-capture"
            let kept = try await holds.capture(alice, lasting, json: #"{"amount":50}"#, key: keptKey)
            #expect(kept.status == .created)

            // Wait until the hold's time has passed (the harness runs no sweeper).
            try await Task.sleep(for: .milliseconds(Int(max(0, expiresAt.timeIntervalSinceNow) * 1000) + 100))
            #expect(Date() > expiresAt)

            let read = try await holds.hold(alice, brief)
            #expect(read.string("status") == "expired", "\(read.json)")
            #expect(read.string("resolved_at") == placed.string("expires_at"), "an expired hold resolved at its expires_at")
            #expect(read.int("captured_amount") == 0 && read.json["transaction_id"] is NSNull)
            let stored = try await api.pool.withConnection { connection in
                try connection.execute("SELECT status FROM holds WHERE id = ?", [.string(brief)]).first?.decode(String.self, "status")
            }
            #expect(stored == "active", "no sweeper recorded the expiry: the reads work it out")
            // Its amount is available again to every movement, in the wallet and in the list of wallets.
            #expect(try await holds.funds(alice, wallet) == Funds(balance: 950, held: 0, available: 950))
            let wallets = try await holds.send(.get, "/v1/wallets", token: alice)
            let listedWallet = try #require((wallets.json["data"] as? [[String: Any]])?.first { $0["id"] as? String == wallet })
            #expect((listedWallet["held"] as? NSNumber)?.int64Value == 0 && (listedWallet["available"] as? NSNumber)?.int64Value == 950, "\(listedWallet)")

            let expired = try await holds.list(alice, wallet, query: "status=expired")
            #expect(expired.ids == [brief])
            let active = try await holds.list(alice, wallet, query: "status=active")
            #expect(active.ids.isEmpty, "the expired hold is no longer listed as active")
            let everything = try await holds.list(alice, wallet)
            #expect(everything.ids == [brief, lasting])
            let listed = try await holds.send(.get, "/v1/wallets/\(wallet)/holds?status=expired", token: alice)
            #expect((listed.json["data"] as? [[String: Any]])?.first?["status"] as? String == "expired")

            // Capture and void are refused as expired, pinned to their keys.
            for body in ["{}", #"{"amount":1}"#] {
                let key = UUID().uuidString
                let first = try await holds.capture(alice, brief, json: body, key: key)
                #expect(first.status == .unprocessableContent && first.code == "hold_expired", "\(first.json)")
                Self.expectReplay(try await holds.capture(alice, brief, json: body, key: key), of: first)
            }
            let voidKey = UUID().uuidString
            let void = try await holds.void(alice, brief, key: voidKey)
            #expect(void.status == .unprocessableContent && void.code == "hold_expired", "\(void.json)")
            Self.expectReplay(try await holds.void(alice, brief, key: voidKey), of: void)
            // A capture answered before the expiry replays its original answer.
            Self.expectReplay(try await holds.capture(alice, lasting, json: #"{"amount":50}"#, key: keptKey), of: kept)

            #expect(try await api.withdraw(alice, wallet, 950).status == .created)
            #expect(try await holds.funds(alice, wallet) == Funds(balance: 0, held: 0, available: 0))
        }
    }

    // MARK: - Reads

    @Test func aWalletsHoldsArePagedNewestFirstAndFilteredByStatus() async throws {
        try await APIHarness.run { api in
            let holds = Client(api: api)
            let alice = try await api.signedInUser("alice")
            let wallet = try await api.wallet(alice)
            let other = try await api.wallet(alice)
            _ = try await api.deposit(alice, wallet, 1_000)
            _ = try await api.deposit(alice, other, 1_000)
            var placed: [String] = []
            for amount in [10, 20, 30, 40, 50] as [Int64] { placed.append(try await holds.placed(alice, wallet, amount)) }
            _ = try await holds.placed(alice, other, 1)
            let newestFirst = Array(placed.reversed())

            // Page by page with a limit and the cursor, newest first, each hold once.
            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let page = try await holds.list(alice, wallet, query: "limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
                #expect(page.ids.count <= 2)
                seen += page.ids
                cursor = page.next
                pages += 1
            } while cursor != nil && pages < 10
            #expect(seen == newestFirst)
            #expect(pages == 3)
            let whole = try await holds.list(alice, wallet)
            #expect(whole.ids == newestFirst && whole.next == nil)
            let exact = try await holds.list(alice, wallet, query: "limit=5")
            #expect(exact.ids == newestFirst && exact.next == nil, "no cursor when no older hold exists")
            let first = try await holds.list(alice, wallet, query: "limit=1")
            #expect(first.ids == [newestFirst[0]] && first.next == newestFirst[0])

            // By status.
            #expect(try await holds.capture(alice, placed[1]).status == .created)
            #expect(try await holds.void(alice, placed[3]).status == .ok)
            #expect(try await holds.list(alice, wallet, query: "status=captured").ids == [placed[1]])
            #expect(try await holds.list(alice, wallet, query: "status=voided").ids == [placed[3]])
            #expect(try await holds.list(alice, wallet, query: "status=active").ids == [placed[4], placed[2], placed[0]])
            #expect(try await holds.list(alice, wallet, query: "status=expired").ids.isEmpty)
            let filtered = try await holds.list(alice, wallet, query: "status=active&limit=2")
            #expect(filtered.ids == [placed[4], placed[2]] && filtered.next == placed[2])
            let rest = try await holds.list(alice, wallet, query: "status=active&limit=2&cursor=\(placed[2])")
            #expect(rest.ids == [placed[0]] && rest.next == nil)
            let listed = try await holds.send(.get, "/v1/wallets/\(wallet)/holds?status=captured", token: alice)
            let item = try #require((listed.json["data"] as? [[String: Any]])?.first)
            #expect(item["status"] as? String == "captured" && (item["captured_amount"] as? NSNumber)?.int64Value == 20, "\(item)")
            #expect(item["transaction_id"] is String)

            for query in [
                "status=pending", "status=", "limit=0", "limit=101", "limit=x", "cursor=hld_nope", "cursor=\(wallet)", "colour=blue",
                "status=active&status=voided", "limit=1&limit=2",
            ] {
                let bad = try await holds.send(.get, "/v1/wallets/\(wallet)/holds?\(query)", token: alice)
                #expect(bad.status == .badRequest && bad.code == "invalid_request", "\(query): \(bad.json)")
            }
        }
    }

    @Test func malformedIDsAre400OnMovementsAnd404OnReads() async throws {
        try await APIHarness.run { api in
            let holds = Client(api: api)
            let alice = try await api.signedInUser("alice")
            let wallet = try await api.wallet(alice)
            _ = try await api.deposit(alice, wallet, 1_000)
            for bad in ["nope", "hld_nope", wallet, "hld_" + String(repeating: "z", count: 26)] {
                for answer in [try await holds.capture(alice, bad, key: "malformed"), try await holds.void(alice, bad, key: "malformed")] {
                    #expect(answer.status == .badRequest && answer.code == "invalid_request", "\(bad): \(answer.json)")
                    #expect((answer.json["invalid_params"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["id"], "\(bad)")
                }
                let read = try await holds.hold(alice, bad)
                #expect(read.status == .notFound && read.code == "hold_not_found", "\(bad): \(read.json)")
            }
            for bad in ["nope", "wal_nope", "hld_" + String(repeating: "0", count: 26)] {
                let listed = try await holds.send(.get, "/v1/wallets/\(bad)/holds", token: alice)
                #expect(listed.status == .notFound && listed.code == "wallet_not_found", "\(bad): \(listed.json)")
            }
            // Well formed and unknown: 404 from the money logic, pinned to the key.
            let unknown = try await holds.capture(alice, Self.unknownHold, key: "unknown")
            #expect(unknown.status == .notFound && unknown.code == "hold_not_found", "\(unknown.json)")
            Self.expectReplay(try await holds.capture(alice, Self.unknownHold, key: "unknown"), of: unknown)
            #expect(try await holds.void(alice, Self.unknownHold).code == "hold_not_found")
            #expect(try await holds.hold(alice, Self.unknownHold).code == "hold_not_found")
            let unknownWallet = try await holds.place(alice, Self.unknownWallet, 1)
            #expect(unknownWallet.status == .notFound && unknownWallet.code == "wallet_not_found")
            #expect(try await holds.send(.get, "/v1/wallets/\(Self.unknownWallet)/holds", token: alice).code == "wallet_not_found")
            // The malformed key "malformed" was never claimed.
            let hold = try await holds.placed(alice, wallet, 10)
            #expect(try await holds.void(alice, hold, key: "malformed").status == .ok)
        }
    }

    // MARK: - Who may

    @Test func anotherPrincipalsHoldIsNotFoundOnEveryHoldRoute() async throws {
        try await APIHarness.run { api in
            let holds = Client(api: api)
            let owner = try await api.signedInUser("owner")
            let intruder = try await api.signedInUser("intruder")
            let wallet = try await api.wallet(owner)
            let intrudersWallet = try await api.wallet(intruder)
            _ = try await api.deposit(owner, wallet, 1_000)
            let hold = try await holds.placed(owner, wallet, 500)
            let app = try await api.apiKey(for: try await api.application())

            for token in [intruder, app] {
                let answers = [
                    try await holds.hold(token, hold),
                    try await holds.capture(token, hold),
                    try await holds.capture(token, hold, json: #"{"to_wallet_id":"\#(intrudersWallet)"}"#),
                    try await holds.void(token, hold),
                ]
                for answer in answers {
                    #expect(answer.status == .notFound && answer.code == "hold_not_found", "\(answer.json)")
                }
                // Exactly as for a hold that does not exist.
                #expect(answers[0].body == (try await holds.hold(token, Self.unknownHold)).body)
                let placed = try await holds.place(token, wallet, 1)
                #expect(placed.status == .notFound && placed.code == "wallet_not_found", "\(placed.json)")
                let listed = try await holds.send(.get, "/v1/wallets/\(wallet)/holds", token: token)
                #expect(listed.status == .notFound && listed.code == "wallet_not_found", "\(listed.json)")
            }
            // Nothing happened to the owner's hold or money.
            #expect(try await holds.hold(owner, hold).string("status") == "active")
            #expect(try await holds.funds(owner, wallet) == Funds(balance: 1_000, held: 500, available: 500))
            #expect(try await api.balance(intruder, intrudersWallet) == 0)
        }
    }

    @Test func applicationsNeedTheHoldsScopeToPlaceCaptureAndVoid() async throws {
        try await APIHarness.run { api in
            let holds = Client(api: api)
            let app = try await api.application()
            let full = try await api.apiKey(for: app, scopes: [.walletsRead, .walletsWrite, .movementsWrite, .holdsWrite])
            let noHolds = try await api.apiKey(for: app, scopes: [.walletsRead, .walletsWrite, .movementsWrite])
            let wallet = try await api.wallet(full)
            let receiving = try await api.wallet(full)
            _ = try await api.deposit(full, wallet, 1_000)

            // A key with holds:write places, captures and voids on its application's wallets.
            let placed = try await holds.place(full, wallet, 300)
            #expect(placed.status == .created, "\(placed.json)")
            let captured = try await holds.capture(full, try #require(placed.string("id")), json: #"{"amount":200,"to_wallet_id":"\#(receiving)"}"#)
            #expect(captured.status == .created && captured.string("type") == "transfer", "\(captured.json)")
            #expect(WalletsAPITests.legs(captured.json) == [
                Leg(account: "wallet", wallet: wallet, amount: -200, balanceAfter: 800),
                Leg(account: "wallet", wallet: receiving, amount: 200, balanceAfter: 200),
            ], "both wallets are the application's own")
            let toVoid = try await holds.placed(full, wallet, 100)
            #expect(try await holds.void(full, toVoid).status == .ok)
            let open = try await holds.placed(full, wallet, 50)

            // A key of the same application without it is refused on every hold POST, before anything is read.
            let refusals = [
                try await holds.place(noHolds, wallet, 1),
                try await holds.capture(noHolds, open),
                try await holds.void(noHolds, open),
            ]
            for answer in refusals {
                #expect(answer.status == .forbidden && answer.code == "insufficient_scope", "\(answer.json)")
                #expect(answer.headers[.wwwAuthenticate]?.contains("holds:write") == true, "\(answer.headers)")
            }
            // It may still read the holds (wallets:read).
            #expect(try await holds.hold(noHolds, open).string("status") == "active")
            #expect(try await holds.list(noHolds, wallet).ids.count == 3)
            // A key without wallets:read may not read them.
            let writeOnly = try await api.apiKey(for: app, scopes: [.holdsWrite])
            for answer in [try await holds.hold(writeOnly, open), try await holds.send(.get, "/v1/wallets/\(wallet)/holds", token: writeOnly)] {
                #expect(answer.status == .forbidden && answer.code == "insufficient_scope", "\(answer.json)")
                #expect(answer.headers[.wwwAuthenticate]?.contains("wallets:read") == true)
            }
            // …but may act on holds with holds:write alone.
            #expect(try await holds.void(writeOnly, open).status == .ok)
            #expect(try await holds.funds(full, wallet) == Funds(balance: 800, held: 0, available: 800))
            #expect(try await api.wallet.auditor.run().isClean)
        }
    }
}
