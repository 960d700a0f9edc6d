import Foundation
import NIOCore
import NIOHTTP1
import Testing
@testable import WalletLoadTest

/// How the harness reads the service's answers: only 201 (200 for a void) and stored refusals are definite; anything
/// that may be retried with the same key (409, 429, 5xx) is uncertain and keeps the service's `Retry-After`.
@Suite("HTTP answers")
struct HTTPAnswerTests {
    private func answer(_ status: Int, code: String, retryAfter: String? = nil, kind: MovementKind = .deposit) -> MovementAnswer {
        answer(status, body: #"{"code":"\#(code)","status":\#(status)}"#, retryAfter: retryAfter, kind: kind)
    }

    private func answer(_ status: Int, body: String, retryAfter: String? = nil, replayed: Bool = false, kind: MovementKind) -> MovementAnswer {
        var headers = HTTPHeaders()
        if let retryAfter { headers.add(name: "Retry-After", value: retryAfter) }
        if replayed { headers.add(name: "Idempotent-Replayed", value: "true") }
        return HTTPMovementExecutor.answer(to: WalletHTTPClient.Response(status: status, headers: headers, body: ByteBuffer(string: body)), kind: kind)
    }

    static let holdBody = """
        {"id":"hld_1","wallet_id":"wal_a","amount":40,"currency":"USD","status":"active","captured_amount":0,"transaction_id":null,\
        "description":null,"expires_at":"2026-12-09T03:00:00.000000Z","created_at":"2026-12-02T03:00:00.000000Z","resolved_at":null}
        """

    @Test func retryableAnswersAreUncertainWithTheirRetryAfter() {
        #expect(answer(429, code: "rate_limited", retryAfter: "2") == .uncertain(reason: "429 rate_limited", retryAfterSeconds: 2))
        #expect(answer(409, code: "idempotency_key_in_use", retryAfter: "1") == .uncertain(reason: "409 idempotency_key_in_use", retryAfterSeconds: 1))
        #expect(answer(503, code: "overloaded", retryAfter: "1") == .uncertain(reason: "503 overloaded", retryAfterSeconds: 1))
        #expect(answer(500, code: "internal_error", kind: .capture) == .uncertain(reason: "500 internal_error", retryAfterSeconds: nil))
    }

    @Test func refusalsAndClientErrorsAreDefinite() {
        #expect(answer(422, code: "insufficient_funds") == .refused(code: "insufficient_funds", replayed: false))
        #expect(answer(404, code: "wallet_not_found") == .rejected(status: 404, code: "wallet_not_found"))
        #expect(answer(422, code: "idempotency_key_reused") == .rejected(status: 422, code: "idempotency_key_reused"))
        for code in ["hold_captured", "hold_voided", "hold_expired", "amount_exceeds_hold"] {
            #expect(answer(422, code: code, kind: .capture) == .refused(code: code, replayed: false))
        }
        #expect(answer(422, body: #"{"code":"hold_expired"}"#, replayed: true, kind: .void) == .refused(code: "hold_expired", replayed: true))
        #expect(answer(404, code: "hold_not_found", kind: .void) == .rejected(status: 404, code: "hold_not_found"))
    }

    @Test func aDepositHasTheExternalLegAndACaptureItsHold() {
        let deposit = answer(
            201,
            body: #"{"id":"txn_1","type":"deposit","amount":5,"currency":"USD","hold_id":null,"created_at":"x","entries":[{"account":"external","amount":-5},{"account":"wallet","wallet_id":"wal_a","amount":5,"balance_after":105}]}"#,
            kind: .deposit)
        #expect(
            deposit == .acknowledged(Acknowledgement(transactionID: "txn_1", entries: [.external(-5), .init(walletID: "wal_a", amount: 5, balanceAfter: 105)]), replayed: false))
        let capture = answer(
            201,
            body: #"{"id":"txn_2","type":"transfer","hold_id":"hld_1","entries":[{"account":"wallet","wallet_id":"wal_a","amount":-25,"balance_after":75},{"account":"wallet","wallet_id":"wal_b","amount":25}]}"#,
            replayed: true, kind: .capture)
        #expect(
            capture
                == .acknowledged(
                    Acknowledgement(
                        transactionID: "txn_2", entries: [.init(walletID: "wal_a", amount: -25, balanceAfter: 75), .init(walletID: "wal_b", amount: 25, balanceAfter: nil)],
                        holdID: "hld_1"),
                    replayed: true))
        #expect(!answer(201, body: #"{"id":"txn_3","entries":[{"account":"moon","amount":1}]}"#, kind: .withdrawal).isDefinite)
    }

    @Test func holdsArePlacedWith201AndVoidedWith200() {
        let hold = HoldState(
            id: "hld_1", walletID: "wal_a", amount: 40, status: "active", capturedAmount: 0, transactionID: nil, expiresAt: "2026-12-09T03:00:00.000000Z",
            resolvedAt: nil)
        #expect(answer(201, body: Self.holdBody, kind: .hold) == .holdAcknowledged(hold, replayed: false))
        #expect(answer(201, body: Self.holdBody, kind: .hold).statusLabel == "201")
        let voidBody = Self.holdBody.replacingOccurrences(of: "\"active\"", with: "\"voided\"")
            .replacingOccurrences(of: "\"resolved_at\":null", with: "\"resolved_at\":\"2026-12-02T03:00:01.000000Z\"")
        let voided = answer(200, body: voidBody, replayed: true, kind: .void)
        guard case .holdAcknowledged(let state, true) = voided else {
            Issue.record("\(voided)")
            return
        }
        #expect(state.status == "voided" && state.resolvedAt == "2026-12-02T03:00:01.000000Z")
        #expect(voided.statusLabel == "200")
        #expect(!answer(201, body: "{}", kind: .hold).isDefinite, "an unreadable hold is no answer")
        #expect(answer(200, body: Self.holdBody, kind: .deposit) == .rejected(status: 200, code: "status 200"))
    }

    @Test func holdRequestsNameTheirHoldsAndBodies() {
        let wallets = ["wal_a", "wal_b"]
        let hold = HoldTarget(holdID: "hld_1", wallet: 0, amount: 40)
        func request(_ movement: PlannedMovement) -> String {
            let (path, json) = HTTPMovementExecutor.request(for: movement, walletIDs: wallets)
            return path + " " + json
        }
        #expect(
            request(PlannedMovement(key: "k", kind: .hold, wallet: 1, destination: nil, amount: 7, duplicate: nil))
                == #"/v1/wallets/wal_b/holds {"amount":7}"#)
        #expect(
            request(PlannedMovement(key: "k", kind: .hold, wallet: 1, destination: nil, amount: 7, duplicate: nil, expiresInSeconds: 2))
                == #"/v1/wallets/wal_b/holds {"amount":7,"expires_in_seconds":2}"#)
        #expect(
            request(PlannedMovement(key: "k", kind: .capture, wallet: 0, destination: nil, amount: 40, duplicate: nil, hold: hold, capturesWholeHold: true))
                == "/v1/holds/hld_1/capture {}")
        #expect(
            request(PlannedMovement(key: "k", kind: .capture, wallet: 0, destination: 1, amount: 25, duplicate: nil, hold: hold))
                == #"/v1/holds/hld_1/capture {"amount":25,"to_wallet_id":"wal_b"}"#)
        #expect(
            request(PlannedMovement(key: "k", kind: .void, wallet: 0, destination: nil, amount: 40, duplicate: nil, hold: hold)) == "/v1/holds/hld_1/void {}")
    }

    @Test func multiLegAndReversalRequestsNameTheirLegsAndOriginals() {
        let wallets = ["wal_a", "wal_b", "wal_c"]
        func request(_ movement: PlannedMovement) -> String {
            let (path, json) = HTTPMovementExecutor.request(for: movement, walletIDs: wallets)
            return path + " " + json
        }
        let legs = [PlannedLeg(source: 0, destination: 2, amount: 5), PlannedLeg(source: 2, destination: 1, amount: 3)]
        #expect(
            request(PlannedMovement(key: "k", kind: .multileg, wallet: 0, destination: nil, amount: 8, duplicate: nil, legs: legs))
                == #"/v1/transactions {"legs":[{"from_wallet_id":"wal_a","to_wallet_id":"wal_c","amount":5},{"from_wallet_id":"wal_c","to_wallet_id":"wal_b","amount":3}]}"#)
        #expect(
            request(
                PlannedMovement(
                    key: "k", kind: .multileg, wallet: 0, destination: nil, amount: 8, duplicate: nil, legs: legs,
                    details: PlannedDetails(reference: "lt-ref-k", metadata: ["load_test": "multileg", "legs": "2"])))
                == #"/v1/transactions {"legs":[{"from_wallet_id":"wal_a","to_wallet_id":"wal_c","amount":5},{"from_wallet_id":"wal_c","to_wallet_id":"wal_b","amount":3}],"#
                + #""reference":"lt-ref-k","metadata":{"legs":"2","load_test":"multileg"}}"#)
        let original = ReversalTarget(transactionID: "txn_1", reverser: 1, amount: 20, legCount: 1, walletEntryCount: 2)
        #expect(
            request(PlannedMovement(key: "k", kind: .reversal, wallet: 1, destination: nil, amount: 20, duplicate: nil, reversal: original, reversesWhole: true))
                == "/v1/transactions/txn_1/reversals {}")
        #expect(
            request(
                PlannedMovement(
                    key: "k", kind: .reversal, wallet: 1, destination: nil, amount: 6, duplicate: nil, reversal: original, reason: "load test reversal"))
                == #"/v1/transactions/txn_1/reversals {"amount":6,"reason":"load test reversal"}"#)
    }
}
