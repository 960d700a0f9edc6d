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
            printFigures("hot wallets \(hotWallets), \(mode.label)", since: started, context: context)
            #expect(try await context.service.auditor.run().isClean)
        }
    }

    /// Holds on one hot wallet: each client places a hold of 1 and then captures or voids it (two movements each),
    /// printed like the deposits above, so that the two can be compared in one run. Combining must keep holds from
    /// collapsing as it does deposits: many movements per transaction, about one attempt per commit.
    @Test(arguments: ConcurrencyTests.modes)
    func holdsOnOneHotWallet(mode: MoneyMovements.Configuration) async throws {
        try await WalletTestContext.run(poolSize: Self.poolSize, movements: mode) { context in
            let user = try await context.makeUser()
            let hot = try await context.makeWallet(for: user, balance: 1_000_000)
            let next = Locked(0)
            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<Self.concurrency {
                    group.addTask {
                        while true {
                            let index = next.withLock { value -> Int in
                                defer { value += 2 }
                                return value
                            }
                            guard index < Self.operations else { return }
                            do {
                                let placed = try await context.execute(
                                    .placeHold(wallet: hot.id, amount: .of(1), expiresIn: .default), by: user.id)
                                guard let hold = placed.hold else { continue }
                                let resolution: MovementRequest = index % 4 == 0 ? .voidHold(hold.id) : .captureHold(hold.id, amount: nil, to: nil)
                                try await context.execute(resolution, by: user.id)
                            } catch WalletError.contention {
                                continue
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            printFigures("holds on 1 hot wallet, \(mode.label)", since: started, context: context)
            let wallet = try await context.service.wallets.wallet(hot.id, ownedBy: .user(user.id))
            // A client whose capture or void met contention leaves its hold active (the audit checks held against them).
            #expect(wallet.available >= 0 && wallet.held <= wallet.balance)
            #expect(try await context.service.auditor.run().isClean)
        }
    }

    /// Prints a run's throughput, database attempts per commit, movements per transaction and contention, from the
    /// context's counters. (The wallets' funding deposits are among the commits; they do not change the figures.)
    private func printFigures(_ label: String, since started: ContinuousClock.Instant, context: WalletTestContext) {
        let elapsed = ContinuousClock.now - started
        let attempts = MovementMetrics.AttemptResult.allCases.reduce(Int64(0)) {
            $0 + context.metrics.value(MovementMetrics.attemptsLabel, [("result", $1.rawValue)])
        }
        let committed = context.metrics.value(MovementMetrics.attemptsLabel, [("result", "committed")])
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let throughput = String(format: "%.0f", Double(committed) / seconds)
        let attemptsPerCommit = String(format: "%.2f", Double(attempts) / Double(max(committed, 1)))
        let perTransaction = String(format: "%.1f", Double(committed) / Double(max(context.metrics.value(MovementMetrics.batchesLabel), 1)))
        print(
            "\(label): \(throughput) movements/s, \(attemptsPerCommit) database attempts per commit, \(perTransaction) movements per transaction, "
                + "\(context.metrics.value(MovementMetrics.retriesExhaustedLabel)) contention "
                + "(concurrency \(Self.concurrency), pool \(Self.poolSize), \(Self.operations) movements)"
        )
    }
}
