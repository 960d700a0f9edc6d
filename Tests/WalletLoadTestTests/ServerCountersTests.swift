import Testing
import WalletLoadTest

@Suite("Server counters from /metrics")
struct ServerCountersTests {
    static let before = """
        # TYPE wallet_transaction_attempts_total counter
        wallet_transaction_attempts_total{result="committed"} 10
        wallet_transaction_attempts_total{result="conflict"} 2
        wallet_transaction_retries_exhausted_total 1
        wallet_http_requests_total{method="POST",status="201"} 99
        process_cpu_seconds_total 1.25
        """
    static let after = """
        # TYPE wallet_transaction_attempts_total counter
        wallet_transaction_attempts_total{result="committed"} 110
        wallet_transaction_attempts_total{result="conflict"} 32
        wallet_transaction_attempts_total{result="deadlock"} 5
        wallet_transaction_attempts_total{result="lock_wait_timeout"} 1
        wallet_transaction_attempts_total{result="record_changed"} 4
        wallet_transaction_attempts_total{result="replayed"} 7
        wallet_transaction_retries_exhausted_total 3
        wallet_idempotent_replays_total 7
        wallet_queue_rejections_total 2
        # TYPE process_cpu_seconds_total counter
        process_cpu_seconds_total 3.75
        """

    @Test func deltasAndDatabaseRetriesPerCommittedOperation() {
        let delta = ServerCounters(prometheusText: Self.after).subtracting(ServerCounters(prometheusText: Self.before))
        #expect(delta.attempts == ["committed": 100, "conflict": 30, "deadlock": 5, "lock_wait_timeout": 1, "record_changed": 4, "replayed": 7])
        #expect(delta.retriesExhausted == 2)
        #expect(delta.idempotentReplays == 7)
        #expect(delta.queueRejections == 2)
        #expect(delta.cpuSeconds == 2.5)
        #expect(delta.databaseRetriesPerCommittedOperation == 0.4)
    }

    @Test func nothingCommittedHasNoRatio() {
        #expect(ServerCounters(prometheusText: "").databaseRetriesPerCommittedOperation == nil)
    }
}
