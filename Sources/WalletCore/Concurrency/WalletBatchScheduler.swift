import Synchronization

/// Work that reads and writes a known set of wallets: what a ``WalletBatchScheduler`` schedules.
protocol WalletScopedJob: Sendable {
    /// The wallets the job touches.
    var walletIDs: [WalletID] { get }
    /// Jobs with equal keys never share a batch (two requests under one idempotency key: the later one waits and
    /// then replays the earlier one's answer).
    var batchExclusionKey: String { get }
}

/// Combines the jobs of this process that touch the same wallets into batches that run one at a time, and runs
/// batches with disjoint wallets side by side.
///
/// - A job whose wallets are free, and that no waiting job is ahead of on any of its wallets, starts at once as a
///   batch of one.
/// - Otherwise it waits. When a batch ends, the waiting jobs are taken in arrival order: a job whose wallets are
///   neither busy nor wanted by an earlier job that still waits joins the new batch it shares a wallet with
///   (merging the batches it bridges), up to ``maximumBatchSize`` jobs; otherwise it starts a new batch.
/// - So a job never overtakes an earlier waiting job on one of its wallets, jobs run in arrival order inside a
///   batch, and two running batches never share a wallet: they cannot conflict with each other.
///
/// A batch runs on the task of its first job (no task is spawned); the others sleep until it hands them their
/// outputs. With ``maximumBatchSize`` 1 this is a plain per-wallet FIFO queue. Waiting is bounded: at most
/// ``maximumWaiting`` jobs wait at once, and more are refused with ``WalletSchedulerFull``. A waiting job is not
/// cancellable: it keeps its place and runs when its turn comes.
final class WalletBatchScheduler<Job: WalletScopedJob, Output: Sendable>: Sendable {
    /// Runs a batch's jobs, in order, and returns one output per job, in the same order.
    typealias Runner = @Sendable ([Job]) async -> [Output]

    /// The most jobs in one batch.
    let maximumBatchSize: Int
    /// The most jobs that may wait at once.
    let maximumWaiting: Int
    private let runner: Runner
    private let state = Mutex(State())

    init(maximumBatchSize: Int, maximumWaiting: Int, runner: @escaping Runner) {
        precondition(maximumBatchSize >= 1, "a batch holds at least one job")
        precondition(maximumWaiting >= 0, "the waiting limit is not negative")
        self.maximumBatchSize = maximumBatchSize
        self.maximumWaiting = maximumWaiting
        self.runner = runner
    }

    /// Runs `job` in a batch, now or when its turn comes, and returns its output.
    func submit(_ job: Job) async throws(WalletSchedulerFull) -> Output {
        let assignment = await withCheckedContinuation { (continuation: CheckedContinuation<Assignment, Never>) in
            let admission = state.withLock { state -> Admission in
                if state.canStart(job) {
                    state.busyWallets.formUnion(job.walletIDs)
                    return .leading
                }
                guard state.waiting.count < maximumWaiting else { return .refused }
                state.enqueue(job, continuation)
                return .waiting
            }
            switch admission {
            case .leading: continuation.resume(returning: .lead(followers: []))
            case .refused: continuation.resume(returning: .refused)
            case .waiting: break
            }
        }
        switch assignment {
        case .refused:
            throw WalletSchedulerFull(limit: maximumWaiting)
        case .answered(let output):
            return output
        case .lead(let followers):
            let jobs = [job] + followers.map(\.job)
            let outputs = await runner(jobs)
            precondition(outputs.count == jobs.count, "a batch runner answers every job")
            let next = state.withLock { state in
                state.finish(releasing: Set(jobs.flatMap(\.walletIDs)), maximumBatchSize: maximumBatchSize)
            }
            for (follower, output) in zip(followers, outputs.dropFirst()) {
                follower.continuation.resume(returning: .answered(output))
            }
            for batch in next {
                batch[0].continuation.resume(returning: .lead(followers: Array(batch.dropFirst())))
            }
            return outputs[0]
        }
    }

    /// How a submitted job enters.
    private enum Admission { case leading, waiting, refused }

    /// What a submitted job is told to do.
    private enum Assignment: Sendable {
        /// Run the batch of this job and `followers`, then answer them.
        case lead(followers: [Waiter])
        /// A batch led by another job ran this one.
        case answered(Output)
        /// Too many jobs wait already.
        case refused
    }

    /// A job waiting for its turn.
    private struct Waiter: Sendable {
        let job: Job
        /// Arrival order.
        let sequence: UInt64
        let continuation: CheckedContinuation<Assignment, Never>
    }

    /// A batch being formed while the waiting jobs are scanned.
    private struct Forming {
        var wallets: Set<WalletID>
        var exclusionKeys: Set<String>
        var members: [Waiter]
    }

    private struct State {
        /// The wallets of the running batches.
        var busyWallets: Set<WalletID> = []
        /// Waiting jobs, in arrival order.
        var waiting: [Waiter] = []
        /// How many waiting jobs touch each wallet (absent when none).
        var waitingPerWallet: [WalletID: Int] = [:]
        var nextSequence: UInt64 = 0

        /// Whether `job` may start now without overtaking a waiting job or sharing a wallet with a running batch.
        func canStart(_ job: Job) -> Bool {
            job.walletIDs.allSatisfy { !busyWallets.contains($0) && waitingPerWallet[$0] == nil }
        }

        mutating func enqueue(_ job: Job, _ continuation: CheckedContinuation<Assignment, Never>) {
            waiting.append(Waiter(job: job, sequence: nextSequence, continuation: continuation))
            nextSequence += 1
            for id in Set(job.walletIDs) { waitingPerWallet[id, default: 0] += 1 }
        }

        /// Frees `wallets` and forms the batches that can start now, each in arrival order, marking their wallets
        /// busy.
        mutating func finish(releasing wallets: Set<WalletID>, maximumBatchSize: Int) -> [[Waiter]] {
            busyWallets.subtract(wallets)
            var wantedByEarlierWaiters: Set<WalletID> = []
            var batches: [Forming] = []
            var stillWaiting: [Waiter] = []
            for waiter in waiting {
                let ids = waiter.job.walletIDs
                let key = waiter.job.batchExclusionKey
                let touching = batches.indices.filter { !batches[$0].wallets.isDisjoint(with: ids) }
                let mergedSize = touching.reduce(1) { $0 + batches[$1].members.count }
                let isBlocked =
                    ids.contains { busyWallets.contains($0) || wantedByEarlierWaiters.contains($0) }
                    || mergedSize > maximumBatchSize
                    || touching.contains { batches[$0].exclusionKeys.contains(key) }
                if isBlocked {
                    wantedByEarlierWaiters.formUnion(ids)
                    stillWaiting.append(waiter)
                    continue
                }
                // Waiters come in arrival order, so this one goes after every member of the batches it joins.
                if touching.count == 1 {
                    // The common case on a hot wallet: grow that batch in place, no copy and no sort.
                    let index = touching[0]
                    batches[index].wallets.formUnion(ids)
                    batches[index].exclusionKeys.insert(key)
                    batches[index].members.append(waiter)
                    continue
                }
                var merged = Forming(wallets: Set(ids), exclusionKeys: [key], members: [])
                for index in touching.reversed() {
                    let batch = batches.remove(at: index)
                    merged.wallets.formUnion(batch.wallets)
                    merged.exclusionKeys.formUnion(batch.exclusionKeys)
                    merged.members += batch.members
                }
                merged.members.sort { $0.sequence < $1.sequence }
                merged.members.append(waiter)
                batches.append(merged)
            }
            for batch in batches {
                busyWallets.formUnion(batch.wallets)
                for member in batch.members {
                    for id in Set(member.job.walletIDs) {
                        let count = waitingPerWallet[id, default: 0] - 1
                        assert(count >= 0, "a waiting job was counted on each of its wallets")
                        waitingPerWallet[id] = count > 0 ? count : nil
                    }
                }
            }
            waiting = stillWaiting
            return batches.map(\.members)
        }
    }
}

/// A job found too many jobs waiting already.
struct WalletSchedulerFull: Error, Sendable {
    /// The limit that was reached.
    let limit: Int
}
