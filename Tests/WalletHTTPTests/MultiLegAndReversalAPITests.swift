import Foundation
import HTTPTypes
import Testing
import WalletCore
import WalletHTTP

/// Multi-leg transfers, reversals and the caller's reference, description and metadata over HTTP: the shapes,
/// the refusals naming the leg or field, who may reverse, and the fingerprint covering every detail.
@Suite("Multi-leg transfers, reversals and details over HTTP")
struct MultiLegAndReversalAPITests {
    private func legs(_ legs: [(String, String, Int64)]) -> String {
        legs.map { #"{"from_wallet_id":"\#($0.0)","to_wallet_id":"\#($0.1)","amount":\#($0.2)}"# }.joined(separator: ",")
    }

    @Test func aSplitPaymentWithAFeeThenAPartialRefund() async throws {
        try await APIHarness.run { api in
            let buyer = try await api.signedInUser()
            let market = try await api.signedInUser()
            let card = try await api.wallet(buyer)
            let seller = try await api.wallet(market)
            let fees = try await api.wallet(market)
            _ = try await api.deposit(buyer, card, 1000)
            let body = #"{"legs":[\#(legs([(card, seller, 950), (card, fees, 50)]))],"reference":"ord_8812","description":"Order 8812","metadata":{"order_id":"8812","channel":"web"}}"#
            let split = try await api.send(.post, "/v1/transactions", token: buyer, key: "split-1", json: body)
            #expect(split.status == .created, "\(split.json)")
            #expect(split.string("type") == "transfer" && split.int("legs") == 2 && split.int("amount") == 1000 && split.string("currency") == "USD")
            #expect(split.string("reference") == "ord_8812" && split.string("description") == "Order 8812")
            #expect(split.json["metadata"] as? [String: String] == ["order_id": "8812", "channel": "web"])
            #expect((split.json["entries"] as? [[String: Any]])?.compactMap { ($0["amount"] as? NSNumber)?.int64Value } == [-950, 950, -50, 50])
            let id = try #require(split.string("id"))
            // The same key replays; other metadata under it is refused, naming the key.
            let replay = try await api.send(.post, "/v1/transactions", token: buyer, key: "split-1", json: body)
            #expect(replay.status == .created && replay.headers[MovementsController.replayedHeader] == "true" && replay.body == split.body)
            let other = try await api.send(
                .post, "/v1/transactions", token: buyer, key: "split-1", json: body.replacingOccurrences(of: #""order_id":"8812""#, with: #""order_id":"8813""#))
            #expect(other.status == .unprocessableContent && other.code == "idempotency_key_reused")
            #expect((other.json["invalid_params"] as? [[String: String]])?.map { $0["name"] } == ["metadata.order_id"])

            // The buyer cannot pull the money back; the market refunds the fee in part.
            let byBuyer = try await api.send(.post, "/v1/transactions/\(id)/reversals", token: buyer, key: UUID().uuidString, json: "{}")
            #expect(byBuyer.status == .forbidden && byBuyer.code == "reversal_forbidden")
            let partial = try await api.send(.post, "/v1/transactions/\(id)/reversals", token: market, key: UUID().uuidString, json: #"{"amount":10}"#)
            #expect(partial.status == .unprocessableContent && partial.code == "reversal_must_be_whole")
            let refund = try await api.send(
                .post, "/v1/transactions/\(id)/reversals", token: market, key: UUID().uuidString, json: #"{"reason":"order cancelled","reference":"rfd_1"}"#)
            #expect(refund.status == .created, "\(refund.json)")
            #expect(refund.string("type") == "reversal" && refund.string("reverses") == id && refund.string("reason") == "order cancelled")
            #expect(refund.string("reference") == "rfd_1" && refund.int("amount") == 1000)
            let original = try await api.send(.get, "/v1/transactions/\(id)", token: buyer)
            let refundID = try #require(refund.string("id"))
            #expect(original.int("reversed_amount") == 1000 && original.json["reversal_ids"] as? [String] == [refundID])
            #expect(try await api.balance(buyer, card) == 1000)
        }
    }

    @Test func aPartialRefundOfATransfer() async throws {
        try await APIHarness.run { api in
            let alice = try await api.signedInUser()
            let bob = try await api.signedInUser()
            let a = try await api.wallet(alice)
            let b = try await api.wallet(bob)
            _ = try await api.deposit(alice, a, 100)
            let id = try #require(try await api.transfer(alice, from: a, to: b, 100).string("id"))
            let first = try await api.send(.post, "/v1/transactions/\(id)/reversals", token: bob, key: UUID().uuidString, json: #"{"amount":60}"#)
            #expect(first.status == .created && first.int("amount") == 60)
            let tooMuch = try await api.send(.post, "/v1/transactions/\(id)/reversals", token: bob, key: UUID().uuidString, json: #"{"amount":50}"#)
            #expect(tooMuch.status == .unprocessableContent && tooMuch.code == "amount_exceeds_reversible")
            // No body: all that is left.
            let rest = try await api.send(.post, "/v1/transactions/\(id)/reversals", token: bob, key: UUID().uuidString)
            #expect(rest.status == .created && rest.int("amount") == 40)
            let ofAReversal = try await api.send(
                .post, "/v1/transactions/\(try #require(rest.string("id")))/reversals", token: alice, key: UUID().uuidString)
            #expect(ofAReversal.status == .unprocessableContent && ofAReversal.code == "not_reversible")
            let unknown = try await api.send(.post, "/v1/transactions/txn_\(String(repeating: "0", count: 26))/reversals", token: bob, key: UUID().uuidString)
            #expect(unknown.status == .notFound && unknown.code == "not_found")
            let malformed = try await api.send(.post, "/v1/transactions/nope/reversals", token: bob, key: UUID().uuidString)
            #expect(malformed.status == .badRequest && malformed.code == "invalid_request")
            #expect(try await [api.balance(alice, a), api.balance(bob, b)] == [100, 0])
        }
    }

    @Test func aRefusedLegIsNamed() async throws {
        try await APIHarness.run { api in
            let alice = try await api.signedInUser()
            let a = try await api.wallet(alice)
            let b = try await api.wallet(alice)
            let euros = try await api.wallet(alice, currency: "EUR")
            _ = try await api.deposit(alice, a, 100)
            let cases: [(String, HTTPResponse.Status, String, String)] = [
                (legs([(a, b, 60), (a, b, 60)]), .unprocessableContent, "insufficient_funds", "legs[1].amount"),
                (legs([(a, b, 1), (a, euros, 1)]), .unprocessableContent, "currency_mismatch", "legs[1].to_wallet_id"),
                (legs([(a, a, 1)]), .unprocessableContent, "same_wallet", "legs[0].to_wallet_id"),
                (legs([(a, b, 1), (b, a, 1), (HoldsAPITests.unknownWallet, a, 1)]), .notFound, "wallet_not_found", "legs[2].from_wallet_id"),
            ]
            for (body, status, code, name) in cases {
                let answer = try await api.send(.post, "/v1/transactions", token: alice, key: UUID().uuidString, json: #"{"legs":[\#(body)]}"#)
                #expect(answer.status == status && answer.code == code, "\(answer.json)")
                #expect((answer.json["invalid_params"] as? [[String: String]])?.first?["name"] == name)
            }
            #expect(try await [api.balance(alice, a), api.balance(alice, b)] == [100, 0])
        }
    }

    @Test func badLegsAndDetailsAreInvalidRequestsNamingTheField() async throws {
        try await APIHarness.run { api in
            let alice = try await api.signedInUser()
            let a = try await api.wallet(alice)
            let b = try await api.wallet(alice)
            let one = legs([(a, b, 1)])
            let tooMany = legs(Array(repeating: (a, b, 1), count: TransferLeg.maximumCount + 1))
            let longValue = String(repeating: "x", count: Metadata.maximumValueLength + 1)
            let manyKeys = (0...Metadata.maximumKeys).map { #""k\#($0)":"v""# }.joined(separator: ",")
            let cases: [(String, String, String)] = [
                ("/v1/transactions", #"{"legs":[]}"#, "legs"),
                ("/v1/transactions", #"{"legs":[\#(tooMany)]}"#, "legs"),
                ("/v1/transactions", #"{"legs":[{"from_wallet_id":"\#(a)","amount":1}]}"#, "legs[0].to_wallet_id"),
                ("/v1/transactions", #"{"legs":[{"from_wallet_id":"\#(a)","to_wallet_id":"\#(b)","amount":0}]}"#, "legs[0].amount"),
                ("/v1/transactions", #"{"legs":[7]}"#, "legs[0]"),
                ("/v1/transactions", #"{"legs":[\#(one)],"reference":"has space"}"#, "reference"),
                ("/v1/transactions", #"{"legs":[\#(one)],"reference":"\#(String(repeating: "r", count: 129))"}"#, "reference"),
                ("/v1/transactions", #"{"legs":[\#(one)],"description":"\#(String(repeating: "d", count: 501))"}"#, "description"),
                ("/v1/transactions", #"{"legs":[\#(one)],"metadata":{"order_id":7}}"#, "metadata.order_id"),
                ("/v1/transactions", #"{"legs":[\#(one)],"metadata":{"order_id":"\#(longValue)"}}"#, "metadata.order_id"),
                ("/v1/transactions", #"{"legs":[\#(one)],"metadata":{"bad key":"v"}}"#, "metadata"),
                ("/v1/transactions", #"{"legs":[\#(one)],"metadata":{\#(manyKeys)}}"#, "metadata"),
                ("/v1/transactions", #"{"legs":[\#(one)],"metadata":"x"}"#, "metadata"),
                ("/v1/wallets/\(a)/deposits", #"{"amount":5,"reference":""}"#, "reference"),
                ("/v1/wallets/\(a)/holds", #"{"amount":5,"metadata":{"k":"\#(longValue)"}}"#, "metadata.k"),
            ]
            for (path, body, name) in cases {
                let answer = try await api.send(.post, path, token: alice, key: UUID().uuidString, json: body)
                #expect(answer.status == .badRequest && answer.code == "invalid_request", "\(body.prefix(120)): \(answer.json)")
                #expect((answer.json["invalid_params"] as? [[String: String]])?.map { $0["name"] }.contains(name) == true, "\(name): \(answer.json)")
            }
        }
    }

    @Test func everyMovementKeepsItsDetails() async throws {
        try await APIHarness.run { api in
            let alice = try await api.signedInUser()
            let a = try await api.wallet(alice)
            let b = try await api.wallet(alice)
            let details = #""reference":"ord-1","description":"Café crème ☕","metadata":{"order_id":"1"}"#
            let deposit = try await api.send(.post, "/v1/wallets/\(a)/deposits", token: alice, key: UUID().uuidString, json: #"{"amount":500,\#(details)}"#)
            let transfer = try await api.send(
                .post, "/v1/transfers", token: alice, key: UUID().uuidString, json: #"{"from_wallet_id":"\#(a)","to_wallet_id":"\#(b)","amount":100,\#(details)}"#)
            let withdrawal = try await api.send(.post, "/v1/wallets/\(a)/withdrawals", token: alice, key: UUID().uuidString, json: #"{"amount":50,\#(details)}"#)
            let hold = try await api.send(.post, "/v1/wallets/\(a)/holds", token: alice, key: UUID().uuidString, json: #"{"amount":20,\#(details)}"#)
            for answer in [deposit, transfer, withdrawal, hold] {
                #expect(answer.status == .created, "\(answer.json)")
                #expect(answer.string("reference") == "ord-1" && answer.string("description") == "Café crème ☕")
                #expect(answer.json["metadata"] as? [String: String] == ["order_id": "1"])
            }
            // A capture without details of its own carries its hold's.
            let capture = try await api.send(.post, "/v1/holds/\(try #require(hold.string("id")))/capture", token: alice, key: UUID().uuidString)
            #expect(capture.status == .created && capture.string("reference") == "ord-1" && capture.json["metadata"] as? [String: String] == ["order_id": "1"])
            let read = try await api.send(.get, "/v1/transactions/\(try #require(deposit.string("id")))", token: alice)
            #expect(read.string("reference") == "ord-1" && read.json["metadata"] as? [String: String] == ["order_id": "1"])
            // A movement without details shows none.
            let plain = try await api.deposit(alice, a, 1)
            #expect(plain.json["reference"] is NSNull && plain.json["description"] is NSNull && plain.json["metadata"] as? [String: String] == [:])
        }
    }
}
