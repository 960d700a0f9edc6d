import Testing
import WalletCore
import WalletLoadTest

@Suite("Direct mode response bodies")
struct DirectResponseCodecTests {
    @Test func readsATransferBack() {
        let body = Array("txn_1 wal_a:-30:70 wal_b:30:130".utf8)
        let answer = DirectResponseCodec.answer(to: StoredResponse(status: 201, body: body), isReplay: true)
        let expected = Acknowledgement(
            transactionID: "txn_1",
            entries: [.init(walletID: "wal_a", amount: -30, balanceAfter: 70), .init(walletID: "wal_b", amount: 30, balanceAfter: 130)])
        #expect(answer == .acknowledged(expected, replayed: true))
    }

    @Test func readsTheExternalLegAndACapturesHold() {
        let deposit = DirectResponseCodec.answer(to: StoredResponse(status: 201, body: Array("txn_1 external:-5 wal_a:5:105".utf8)), isReplay: false)
        #expect(
            deposit
                == .acknowledged(
                    Acknowledgement(transactionID: "txn_1", entries: [.external(-5), .init(walletID: "wal_a", amount: 5, balanceAfter: 105)]), replayed: false))
        let capture = DirectResponseCodec.answer(
            to: StoredResponse(status: 201, body: Array("txn_2 hold=hld_1 wal_a:-25:75 external:25".utf8)), isReplay: false)
        #expect(
            capture
                == .acknowledged(
                    Acknowledgement(
                        transactionID: "txn_2", entries: [.init(walletID: "wal_a", amount: -25, balanceAfter: 75), .external(25)], holdID: "hld_1"),
                    replayed: false))
    }

    @Test func readsHoldsBack() {
        let placed = DirectResponseCodec.answer(
            to: StoredResponse(status: 201, body: Array("hold hld_1 wal_a 40 active 0 - 2026-12-09T03:00:00.000000Z -".utf8)), isReplay: true)
        #expect(
            placed
                == .holdAcknowledged(
                    HoldState(
                        id: "hld_1", walletID: "wal_a", amount: 40, status: "active", capturedAmount: 0, transactionID: nil,
                        expiresAt: "2026-12-09T03:00:00.000000Z", resolvedAt: nil),
                    replayed: true))
        let voided = DirectResponseCodec.answer(
            to: StoredResponse(
                status: 200, body: Array("hold hld_1 wal_a 40 voided 0 - 2026-12-09T03:00:00.000000Z 2026-12-02T03:00:00.000000Z".utf8)),
            isReplay: false)
        #expect(voided.statusLabel == "200")
        #expect(!DirectResponseCodec.answer(to: StoredResponse(status: 201, body: Array("hold hld_1 wal_a".utf8)), isReplay: false).isDefinite)
    }

    @Test func readsRefusalsAndNonsense() {
        #expect(
            DirectResponseCodec.answer(to: StoredResponse(status: 422, body: Array("insufficient_funds".utf8)), isReplay: false)
                == .refused(code: "insufficient_funds", replayed: false))
        #expect(
            DirectResponseCodec.answer(to: StoredResponse(status: 422, body: Array("hold_expired".utf8)), isReplay: true)
                == .refused(code: "hold_expired", replayed: true))
        #expect(
            DirectResponseCodec.answer(to: StoredResponse(status: 404, body: Array("wallet_not_found".utf8)), isReplay: false)
                == .rejected(status: 404, code: "wallet_not_found"))
        #expect(!DirectResponseCodec.answer(to: StoredResponse(status: 201, body: Array("txn_1".utf8)), isReplay: false).isDefinite)
        #expect(!DirectResponseCodec.answer(to: StoredResponse(status: 201, body: Array("txn_1 wal_a:x:1".utf8)), isReplay: false).isDefinite)
    }

    @Test func rendersRefusedLegsAndReversalRefusalsLikeTheHTTPContract() {
        func answer(_ error: WalletError) -> MovementAnswer {
            DirectResponseCodec.answer(to: DirectResponseCodec.render(.refused(error)), isReplay: false)
        }
        let leg = WalletError.refusedLeg(index: 1, field: "amount", refusal: .insufficientFunds(available: 2, amount: Amount(minorUnits: 5)!))
        #expect(answer(leg) == .refused(code: "insufficient_funds", replayed: false))
        #expect(answer(.amountExceedsReversible(reversible: 0)) == .refused(code: "amount_exceeds_reversible", replayed: false))
        #expect(answer(.reversalMustBeWhole) == .refused(code: "reversal_must_be_whole", replayed: false))
        #expect(answer(.notReversible) == .refused(code: "not_reversible", replayed: false))
        #expect(answer(.reversalForbidden) == .rejected(status: 403, code: "reversal_forbidden"))
        #expect(answer(.transactionNotFound) == .rejected(status: 404, code: "not_found"))
    }
}
