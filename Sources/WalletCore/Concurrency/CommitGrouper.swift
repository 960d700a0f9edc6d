import Synchronization

/// Group commit: batches that are ready to run (their wallets are theirs, ``WalletBatchScheduler``) but find every
/// transaction slot taken wait, and when a transaction ends the batches waiting then run together in the next one,
/// one commit for all.
///
/// - A batch that finds a slot free runs at once, alone: nothing waits for company, so a lone request pays no
///   latency for the grouping.
/// - When a transaction ends and batches wait, its slot passes to the oldest of them, which takes with it the
///   others in arrival order, up to ``maximumGroupSize`` movements, skipping any whose exclusion key (an
///   idempotency key) is already in the group. Otherwise the slot is freed.
/// - The scheduler never runs two batches that share a wallet, so batches of one group cannot conflict with each
///   other, and at most ``slots`` transactions of movements run at once.
///
/// A group runs on the task of its oldest batch (no task is spawned); the others sleep until it hands them their
/// outputs. Waiting is bounded: at most ``maximumWaiting`` movements wait at once, and more are refused with
/// ``WalletSchedulerFull``. The decisions are ``CommitGroupState``'s, which does no I/O and is tested on its own.
final class CommitGrouper<Job: WalletScopedJob, Output: Sendable>: Sendable {
    /// Runs the batches of a group in one transaction and returns each batch's outputs, in order.
    typealias Runner = @Sendable ([[Job]]) async -> [[Output]]

    /// The most transactions of movements at once.
    let slots: Int
    /// The most movements one group gathers (a single batch may be that large on its own).
    let maximumGroupSize: Int
    /// The most movements that may wait for a slot at once.
    let maximumWaiting: Int
    private let runner: Runner
    private let state: Mutex<CommitGroupState<Waiter>>

    init(slots: Int, maximumGroupSize: Int, maximumWaiting: Int, runner: @escaping Runner) {
        self.slots = slots
        self.maximumGroupSize = maximumGroupSize
        self.maximumWaiting = maximumWaiting
        self.runner = runner
        self.state = Mutex(CommitGroupState(slots: slots, maximumGroupSize: maximumGroupSize, maximumWaiting: maximumWaiting))
    }

    /// Runs `batch` in a transaction, now or in the group of the next free slot, and returns its outputs.
    func run(_ batch: [Job]) async throws(WalletSchedulerFull) -> [Output] {
        let turn = await withCheckedContinuation { (continuation: CheckedContinuation<Turn, Never>) in
            let admission = state.withLock { $0.arrive(Waiter(batch: batch, continuation: continuation)) }
            switch admission {
            case .runs: continuation.resume(returning: .lead(others: []))
            case .refused: continuation.resume(returning: .refused)
            case .waits: break
            }
        }
        switch turn {
        case .refused:
            throw WalletSchedulerFull(limit: maximumWaiting)
        case .answered(let outputs):
            return outputs
        case .lead(let others):
            let outputs = await runner([batch] + others.map(\.batch))
            precondition(outputs.count == others.count + 1, "a group runner answers every batch")
            let next = state.withLock { $0.finish() }
            for (other, answer) in zip(others, outputs.dropFirst()) {
                other.continuation.resume(returning: .answered(answer))
            }
            if let next { next[0].continuation.resume(returning: .lead(others: Array(next.dropFirst()))) }
            return outputs[0]
        }
    }

    /// What an arriving batch is told to do.
    private enum Turn: Sendable {
        /// Run the group of this batch and `others`, then answer them.
        case lead(others: [Waiter])
        /// The group of another batch ran this one.
        case answered([Output])
        /// Too many movements wait already.
        case refused
    }

    /// A batch waiting for a slot.
    private struct Waiter: GroupedBatch {
        let batch: [Job]
        let continuation: CheckedContinuation<Turn, Never>

        var movements: Int { batch.count }
        var exclusionKeys: [String] { batch.map(\.batchExclusionKey) }
    }
}

/// What ``CommitGroupState`` needs to know of a waiting batch.
protocol GroupedBatch {
    /// How many movements it carries.
    var movements: Int { get }
    /// Its movements' exclusion keys: a group never holds one twice.
    var exclusionKeys: [String] { get }
}

/// The slots and the waiting batches of a ``CommitGrouper``: every decision it makes, without I/O.
struct CommitGroupState<Batch: GroupedBatch> {
    /// How an arriving batch enters.
    enum Admission: Equatable { case runs, waits, refused }

    /// How many consumed places at the front of the waiting list are kept before it is compacted.
    static var compactionThreshold: Int { 1024 }

    let slots: Int
    let maximumGroupSize: Int
    let maximumWaiting: Int
    /// Transactions running now.
    private(set) var running = 0
    /// Movements waiting now.
    private(set) var waitingMovements = 0
    /// Waiting batches in arrival order, from `head` on: taking a group costs its size, not the list's.
    private var waiting: [Batch] = []
    private var head = 0

    init(slots: Int, maximumGroupSize: Int, maximumWaiting: Int) {
        precondition(slots >= 1, "at least one transaction at once")
        precondition(maximumGroupSize >= 1, "a group holds at least one movement")
        precondition(maximumWaiting >= 0, "the waiting limit is not negative")
        self.slots = slots
        self.maximumGroupSize = maximumGroupSize
        self.maximumWaiting = maximumWaiting
    }

    /// Batches waiting now.
    var waitingBatches: Int { waiting.count - head }

    /// A batch arrives: it runs in a free slot, waits for one, or is refused when too many movements wait.
    mutating func arrive(_ batch: Batch) -> Admission {
        if running < slots {
            // Paired with `finish`, which hands a slot on while anything waits.
            assert(waitingBatches == 0, "no batch waits while a slot is free")
            running += 1
            return .runs
        }
        guard waitingMovements + batch.movements <= maximumWaiting else { return .refused }
        waiting.append(batch)
        waitingMovements += batch.movements
        return .waits
    }

    /// A transaction ended: the group that takes its slot, oldest batch first, or nil when none waits (the slot is
    /// freed).
    mutating func finish() -> [Batch]? {
        assert(running >= 1, "a transaction ends only after it started")
        guard waitingBatches > 0 else {
            running -= 1
            return nil
        }
        var group: [Batch] = []
        var keys: Set<String> = []
        var size = 0
        var skipped: [Batch] = []
        while head < waiting.count, group.isEmpty || size + waiting[head].movements <= maximumGroupSize {
            let batch = waiting[head]
            head += 1
            if batch.exclusionKeys.contains(where: keys.contains) {
                skipped.append(batch)
                continue
            }
            keys.formUnion(batch.exclusionKeys)
            size += batch.movements
            group.append(batch)
        }
        waitingMovements -= size
        // The skipped keep their place, ahead of every later arrival, in the places just consumed.
        head -= skipped.count
        for (offset, batch) in skipped.enumerated() { waiting[head + offset] = batch }
        if head >= Self.compactionThreshold || head == waiting.count {
            waiting.removeFirst(head)
            head = 0
        }
        // Paired with `arrive`: what waits is counted.
        assert(waitingMovements == waiting[head...].reduce(0) { $0 + $1.movements }, "waiting movements are counted")
        return group
    }
}
