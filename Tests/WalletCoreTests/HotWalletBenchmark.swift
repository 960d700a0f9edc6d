import TestSupport
import Foundation
import Testing

@testable import WalletCore

/// A quick in-process comparison of combining, per-wallet queues and naive optimistic concurrency on hot wallets. It prints
/// throughput and database attempts per committed movement; it asserts only correctness, never timings.
/// `WALLET_BENCHMARK_OPERATIONS` sets the movements per run (default 300).
@Suite("Hot wallet benchmark (printed, not asserted)", .serialized)
struct HotWalletBenchmark {
    static let operations = ProcessInfo.processInfo.environment["WALLET_BENCHMARK_OPERATIONS"].flatMap(Int.init) ?? 300
    static let concurrency = 64
    static let poolSize = 16

    @Test(arguments: [1, 10], ConcurrencyTests.modes)
    func hotWallets(hotWallets: Int, mode: MoneyMovements.Configuration) async throws {
        try await WalletTestContext.run(poolSize: Self.poolSize, movements: mode) { context in
            let user = try await context.makeUser()
            var wallets: [Wallet] = []
            for _ in 0..<hotWallets {
                wallets.append(try await context.makeWallet(for: user, balance: 1_000_000))
            }
            let hot = wallets
            let next = Locked(0)
            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<Self.concurrency {
                    group.addTask {
                        while true {
                            let index = next.withLock { value -> Int in
                                defer { value += 1 }
                                return value
                            }
                            guard index < Self.operations else { return }
                            // One hot wallet: deposits. Several: transfers between two of them.
                            let request: MovementRequest =
                                hot.count == 1
                                ? .deposit(wallet: hot[0].id, amount: .of(1))
                                : .transfer(from: hot[index % hot.count].id, to: hot[(index * 7 + 1) % hot.count].id, amount: .of(1))
                            do {
                                try await context.execute(request, by: user.id)
                            } catch WalletError.contention {
                                continue
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let elapsed = ContinuousClock.now - started
            let attempts = MovementMetrics.AttemptResult.allCases.reduce(Int64(0)) {
                $0 + context.metrics.value(MovementMetrics.attemptsLabel, [("result", $1.rawValue)])
            }
            let committed = context.metrics.value(MovementMetrics.attemptsLabel, [("result", "committed")])
            let exhausted = context.metrics.value(MovementMetrics.retriesExhaustedLabel)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let throughput = String(format: "%.0f", Double(committed) / seconds)
            let attemptsPerCommit = String(format: "%.2f", Double(attempts) / Double(max(committed, 1)))
            let perTransaction = String(format: "%.1f", Double(committed) / Double(max(context.metrics.value(MovementMetrics.batchesLabel), 1)))
            print(
                "hot wallets \(hotWallets), \(mode.label): \(throughput) movements/s, \(attemptsPerCommit) database attempts per commit, "
                    + "\(perTransaction) movements per transaction, "
                    + "\(exhausted) contention (concurrency \(Self.concurrency), pool \(Self.poolSize), \(Self.operations) movements)"
            )
            #expect(try await context.service.auditor.run().isClean)
        }
    }
}
