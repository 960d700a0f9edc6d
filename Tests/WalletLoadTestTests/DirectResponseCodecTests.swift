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

    @Test func readsRefusalsAndNonsense() {
        #expect(
            DirectResponseCodec.answer(to: StoredResponse(status: 422, body: Array("insufficient_funds".utf8)), isReplay: false)
                == .refused(code: "insufficient_funds", replayed: false))
        #expect(
            DirectResponseCodec.answer(to: StoredResponse(status: 404, body: Array("wallet_not_found".utf8)), isReplay: false)
                == .rejected(status: 404, code: "wallet_not_found"))
        #expect(!DirectResponseCodec.answer(to: StoredResponse(status: 201, body: Array("txn_1".utf8)), isReplay: false).isDefinite)
        #expect(!DirectResponseCodec.answer(to: StoredResponse(status: 201, body: Array("txn_1 wal_a:x:1".utf8)), isReplay: false).isDefinite)
    }
}
