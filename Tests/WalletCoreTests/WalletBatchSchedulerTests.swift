import TestSupport
import Testing

@testable import WalletCore

/// The scheduler on its own, with jobs that record how they ran instead of touching a database.
@Suite("Wallet batch scheduler")
struct WalletBatchSchedulerTests {
    /// A job on some wallets; its output is its own number.
    struct Job: WalletScopedJob {
        let number: Int
        let walletIDs: [WalletID]
        var batchExclusionKey: String
    }

    /// What the runner saw: the batches in the order they ran, and how many ran at once.
    final class Record: Sendable {
        let batches = Locked<[[Int]]>([])
        let running = Locked((now: 0, most: 0, overlap: false))
        let busy = Locked<Set<WalletID>>([])
    }

    /// A scheduler whose runner records each batch, checks that running batches never share a wallet, and lets
    /// other tasks run while it "works".
    static func scheduler(maximumBatchSize: Int, maximumWaiting: Int = 10_000, record: Record) -> WalletBatchScheduler<Job, Int> {
        WalletBatchScheduler(maximumBatchSize: maximumBatchSize, maximumWaiting: maximumWaiting) { jobs in
            let wallets = Set(jobs.flatMap(\.walletIDs))
            record.busy.withLock { busy in
                if !busy.isDisjoint(with: wallets) { record.running.withLock { $0.overlap = true } }
                busy.formUnion(wallets)
            }
            record.running.withLock {
                $0.now += 1
                $0.most = max($0.most, $0.now)
            }
            record.batches.withLock { $0.append(jobs.map(\.number)) }
            for _ in 0..<3 { await Task.yield() }
            record.running.withLock { $0.now -= 1 }
            record.busy.withLock { $0.subtract(wallets) }
            return jobs.map(\.number)
        }
    }

    @Test func jobsOnOneWalletAreCombinedAndEachGetsItsOwnOutput() async throws {
        let record = Record()
        let scheduler = Self.scheduler(maximumBatchSize: 8, record: record)
        let wallet = WalletID.generate()
        let outputs = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for number in 0..<200 {
                group.addTask { (number, try await scheduler.submit(Job(number: number, walletIDs: [wallet], batchExclusionKey: "\(number)"))) }
            }
            var outputs: [(Int, Int)] = []
            for try await output in group { outputs.append(output) }
            return outputs
        }
        #expect(outputs.count == 200 && outputs.allSatisfy { $0.0 == $0.1 })
        let batches = record.batches.withLock { $0 }
        #expect(batches.flatMap { $0 }.sorted() == Array(0..<200), "every job ran exactly once")
        #expect(batches.allSatisfy { $0.count <= 8 })
        #expect(batches.count < 200, "no job was combined with another")
        #expect(record.running.withLock { $0.most } == 1)
    }

    @Test func batchesNeverShareAWalletAndDisjointOnesRunSideBySide() async throws {
        let record = Record()
        let scheduler = Self.scheduler(maximumBatchSize: 4, record: record)
        let wallets = (0..<6).map { _ in WalletID.generate() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for number in 0..<300 {
                // Transfers between neighbours and single-wallet jobs, all over six wallets.
                let ids = number % 3 == 0 ? [wallets[number % 6]] : [wallets[number % 6], wallets[(number + 1) % 6]].sorted()
                group.addTask { _ = try await scheduler.submit(Job(number: number, walletIDs: ids, batchExclusionKey: "\(number)")) }
            }
            try await group.waitForAll()
        }
        #expect(!record.running.withLock { $0.overlap }, "two running batches shared a wallet")
        #expect(record.batches.withLock { $0.flatMap { $0 }.sorted() } == Array(0..<300))
    }

    @Test func jobsRunInArrivalOrderOnAWallet() async throws {
        let record = Record()
        let wallet = WalletID.generate()
        let (holderEntered, entered) = AsyncStream<Void>.makeStream()
        let (release, releaser) = AsyncStream<Void>.makeStream()
        let holding = WalletBatchScheduler<Job, Int>(maximumBatchSize: 3, maximumWaiting: 100) { jobs in
            if jobs.map(\.number) == [-1] {
                entered.yield()
                for await _ in release { break }
            }
            record.batches.withLock { $0.append(jobs.map(\.number)) }
            return jobs.map(\.number)
        }
        let holder = Task { try await holding.submit(Job(number: -1, walletIDs: [wallet], batchExclusionKey: "holder")) }
        for await _ in holderEntered { break }
        var waiters: [Task<Int, any Error>] = []
        for number in 0..<7 {
            waiters.append(Task { try await holding.submit(Job(number: number, walletIDs: [wallet], batchExclusionKey: "\(number)")) })
            // Let this job take its place before the next one arrives.
            try await Task.sleep(for: .milliseconds(20))
        }
        releaser.yield()
        _ = try await holder.value
        for waiter in waiters { _ = try await waiter.value }
        #expect(record.batches.withLock { $0 } == [[-1], [0, 1, 2], [3, 4, 5], [6]])
    }

    @Test func jobsWithOneKeyNeverShareABatch() async throws {
        let record = Record()
        let scheduler = Self.scheduler(maximumBatchSize: 64, record: record)
        let wallet = WalletID.generate()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for number in 0..<50 {
                group.addTask { _ = try await scheduler.submit(Job(number: number, walletIDs: [wallet], batchExclusionKey: "the-key")) }
            }
            try await group.waitForAll()
        }
        #expect(record.batches.withLock { $0 }.allSatisfy { $0.count == 1 })
        #expect(record.batches.withLock { $0 }.count == 50)
    }

    @Test func aFullSchedulerRefusesAtOnce() async throws {
        let wallet = WalletID.generate()
        let (holderEntered, entered) = AsyncStream<Void>.makeStream()
        let (release, releaser) = AsyncStream<Void>.makeStream()
        let scheduler = WalletBatchScheduler<Job, Int>(maximumBatchSize: 1, maximumWaiting: 1) { jobs in
            if jobs[0].number == 0 {
                entered.yield()
                for await _ in release { break }
            }
            return jobs.map(\.number)
        }
        let holder = Task { try await scheduler.submit(Job(number: 0, walletIDs: [wallet], batchExclusionKey: "0")) }
        for await _ in holderEntered { break }
        let waiter = Task { try await scheduler.submit(Job(number: 1, walletIDs: [wallet], batchExclusionKey: "1")) }
        try await Task.sleep(for: .milliseconds(50))
        await #expect(throws: WalletSchedulerFull.self) {
            try await scheduler.submit(Job(number: 2, walletIDs: [wallet], batchExclusionKey: "2"))
        }
        // A job on a free wallet does not wait, so the full wait list does not refuse it.
        #expect(try await scheduler.submit(Job(number: 3, walletIDs: [WalletID.generate()], batchExclusionKey: "3")) == 3)
        releaser.yield()
        #expect(try await holder.value == 0)
        #expect(try await waiter.value == 1)
    }
}
