import NIOCore
import NIOHTTP1
import Testing
@testable import WalletLoadTest

/// How the harness reads the service's answers: only 201 and stored refusals are definite; anything that may be
/// retried with the same key (409, 429, 5xx) is uncertain and keeps the service's `Retry-After`.
@Suite("HTTP answers")
struct HTTPAnswerTests {
    private func answer(_ status: Int, code: String, retryAfter: String? = nil) -> MovementAnswer {
        var headers = HTTPHeaders()
        if let retryAfter { headers.add(name: "Retry-After", value: retryAfter) }
        let body = ByteBuffer(string: #"{"code":"\#(code)","status":\#(status)}"#)
        return HTTPMovementExecutor.answer(to: WalletHTTPClient.Response(status: status, headers: headers, body: body))
    }

    @Test func retryableAnswersAreUncertainWithTheirRetryAfter() {
        #expect(answer(429, code: "rate_limited", retryAfter: "2") == .uncertain(reason: "429 rate_limited", retryAfterSeconds: 2))
        #expect(answer(409, code: "idempotency_key_in_use", retryAfter: "1") == .uncertain(reason: "409 idempotency_key_in_use", retryAfterSeconds: 1))
        #expect(answer(503, code: "overloaded", retryAfter: "1") == .uncertain(reason: "503 overloaded", retryAfterSeconds: 1))
        #expect(answer(500, code: "internal_error") == .uncertain(reason: "500 internal_error", retryAfterSeconds: nil))
    }

    @Test func refusalsAndClientErrorsAreDefinite() {
        #expect(answer(422, code: "insufficient_funds") == .refused(code: "insufficient_funds", replayed: false))
        #expect(answer(404, code: "wallet_not_found") == .rejected(status: 404, code: "wallet_not_found"))
        #expect(answer(422, code: "idempotency_key_reused") == .rejected(status: 422, code: "idempotency_key_reused"))
    }
}
