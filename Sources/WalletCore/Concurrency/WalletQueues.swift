import Synchronization

/// In-process, per-wallet FIFO queues: at most one movement per wallet runs its transactions at a time in this
/// process, and the others wait their turn in arrival order instead of fighting over the row.
///
/// Optimistic concurrency stays the correctness mechanism (other instances, other tools); these queues only keep
/// movements of one process from conflicting with each other, so a hot wallet costs queueing, not retries.
/// A movement enters the queues of all its wallets in ascending id order, the same global order for everyone, so
/// two transfers can never wait for each other in a cycle. Waiting is bounded: a queue holds at most
/// ``maximumWaiters`` movements and refuses more with ``WalletQueueFull``.
final class WalletQueues: Sendable {
    /// The waiters of one wallet, in arrival order; the wallet's entry exists while a movement holds it.
    private struct Queue {
        private var waiters: [CheckedContinuation<Bool, Never>] = []
        private var head = 0

        var count: Int { waiters.count - head }

        mutating func append(_ waiter: CheckedContinuation<Bool, Never>) {
            waiters.append(waiter)
        }

        mutating func removeFirst() -> CheckedContinuation<Bool, Never>? {
            guard head < waiters.count else { return nil }
            let waiter = waiters[head]
            head += 1
            if head == waiters.count {
                waiters.removeAll(keepingCapacity: true)
                head = 0
            }
            return waiter
        }
    }

    /// Movements that may wait for one wallet at once.
    let maximumWaiters: Int
    private let queues = Mutex<[WalletID: Queue]>([:])

    init(maximumWaiters: Int) {
        precondition(maximumWaiters >= 1, "a wallet queue holds at least one waiter")
        self.maximumWaiters = maximumWaiters
    }

    /// Runs `body` once this call holds every wallet in `ids` (in ascending order), then releases them.
    ///
    /// Throws ``WalletQueueFull`` without running `body` when a wallet's queue is full. A waiter is not
    /// cancellable: it keeps its place and runs when its turn comes.
    func withWallets<T>(_ ids: [WalletID], _ body: () async throws -> T) async throws -> T {
        let ordered = Array(Set(ids)).sorted()
        var held: [WalletID] = []
        defer { held.forEach(release) }
        for id in ordered {
            guard await acquire(id) else { throw WalletQueueFull(walletID: id) }
            held.append(id)
        }
        return try await body()
    }

    /// Takes `id` now or after the movements ahead of this one; false when the queue is full.
    private func acquire(_ id: WalletID) async -> Bool {
        let isFree = queues.withLock { queues in
            guard queues[id] == nil else { return false }
            queues[id] = Queue()
            return true
        }
        if isFree { return true }
        return await withCheckedContinuation { (waiter: CheckedContinuation<Bool, Never>) in
            enum Admission { case holder, queued, refused }
            let admission = queues.withLock { queues -> Admission in
                guard queues[id] != nil else {
                    queues[id] = Queue()
                    return .holder
                }
                guard queues[id]!.count < maximumWaiters else { return .refused }
                queues[id]!.append(waiter)
                return .queued
            }
            switch admission {
            case .holder: waiter.resume(returning: true)
            case .refused: waiter.resume(returning: false)
            case .queued: break
            }
        }
    }

    /// Hands `id` to its next waiter, or frees it.
    private func release(_ id: WalletID) {
        let next = queues.withLock { queues -> CheckedContinuation<Bool, Never>? in
            if let waiter = queues[id]?.removeFirst() { return waiter }
            queues[id] = nil
            return nil
        }
        next?.resume(returning: true)
    }
}

/// A movement found the queue of one of its wallets full.
struct WalletQueueFull: Error, Sendable {
    let walletID: WalletID
}
