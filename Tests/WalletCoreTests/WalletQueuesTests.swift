import Testing

@testable import WalletCore

@Suite("Per-wallet queues")
struct WalletQueuesTests {
    @Test func oneMovementPerWalletAtATime() async throws {
        let queues = WalletQueues(maximumWaiters: 1000)
        let wallet = WalletID.generate()
        let inside = Locked((now: 0, most: 0))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<200 {
                group.addTask {
                    try await queues.withWallets([wallet]) {
                        inside.withLock {
                            $0.now += 1
                            $0.most = max($0.most, $0.now)
                        }
                        await Task.yield()
                        inside.withLock { $0.now -= 1 }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(inside.withLock { $0.most } == 1)
    }

    @Test func waitersAreServedInArrivalOrder() async throws {
        let queues = WalletQueues(maximumWaiters: 100)
        let wallet = WalletID.generate()
        let order = Locked<[Int]>([])
        let (holderEntered, enteredContinuation) = AsyncStream<Void>.makeStream()
        let (release, releaseContinuation) = AsyncStream<Void>.makeStream()
        let holder = Task {
            try await queues.withWallets([wallet]) {
                enteredContinuation.yield()
                for await _ in release { break }
            }
        }
        for await _ in holderEntered { break }
        var waiters: [Task<Void, any Error>] = []
        for index in 0..<10 {
            waiters.append(Task { try await queues.withWallets([wallet]) { order.withLock { $0.append(index) } } })
            // Let this waiter reach its place in the queue before the next one arrives.
            try await Task.sleep(for: .milliseconds(20))
        }
        releaseContinuation.yield()
        try await holder.value
        for waiter in waiters { try await waiter.value }
        #expect(order.withLock { $0 } == Array(0..<10))
    }

    @Test func aFullQueueRefusesAtOnce() async throws {
        let queues = WalletQueues(maximumWaiters: 1)
        let wallet = WalletID.generate()
        let (holderEntered, enteredContinuation) = AsyncStream<Void>.makeStream()
        let (release, releaseContinuation) = AsyncStream<Void>.makeStream()
        let holder = Task {
            try await queues.withWallets([wallet]) {
                enteredContinuation.yield()
                for await _ in release { break }
            }
        }
        for await _ in holderEntered { break }
        let waiter = Task { try await queues.withWallets([wallet]) { 1 } }
        try await Task.sleep(for: .milliseconds(50))
        await #expect(throws: WalletQueueFull.self) {
            try await queues.withWallets([wallet]) { 2 }
        }
        releaseContinuation.yield()
        try await holder.value
        #expect(try await waiter.value == 1)
        // Once free, the wallet is taken at once.
        #expect(try await queues.withWallets([wallet]) { 3 } == 3)
    }

    @Test func transfersInBothDirectionsNeverDeadlock() async throws {
        let queues = WalletQueues(maximumWaiters: 1000)
        let a = WalletID.generate()
        let b = WalletID.generate()
        let c = WalletID.generate()
        let completed = Locked(0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<300 {
                let pair = [[a, b], [b, a], [b, c], [c, a], [a, a]][index % 5]
                group.addTask {
                    try await queues.withWallets(pair) {
                        await Task.yield()
                        completed.withLock { $0 += 1 }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(completed.withLock { $0 } == 300)
    }
}
