/// One load phase: movements from the ``WorkloadPlanner`` sent through the ``MovementDriver`` with the ``LoadShape``'s
/// pacing, duplicates on their own bounded lane, counts and latencies into ``RunStatistics``. Every hold placed and
/// acknowledged goes to the planner's ``HoldPool``, for later captures and voids; every reversible transaction
/// acknowledged to its ``ReversalPool``, for later reversals.
public struct LoadRun: Sendable {
    /// What a phase did, beyond its statistics.
    public struct Outcome: Sendable {
        /// Movements sent (warmup included, duplicates not).
        public let movements: Int
        /// The length of the measured window as it happened: from the end of the warmup to the last measured answer.
        public let measuredSeconds: Double
    }

    public let shape: LoadShape
    public let planner: WorkloadPlanner
    public let driver: MovementDriver
    public let statistics: RunStatistics
    /// The start of every idempotency key of the phase.
    public let keyPrefix: String
    /// The seed of the workers' random number generators.
    public let seed: UInt64
    /// The phase's name on the progress line.
    public let phaseName: String

    public init(
        shape: LoadShape, planner: WorkloadPlanner, driver: MovementDriver, statistics: RunStatistics, keyPrefix: String, seed: UInt64,
        phaseName: String
    ) {
        self.shape = shape
        self.planner = planner
        self.driver = driver
        self.statistics = statistics
        self.keyPrefix = keyPrefix
        self.seed = seed
        self.phaseName = phaseName
    }

    /// Runs the phase to its end: the duration passed or the request limit reached, every answer and duplicate in.
    public func run() async -> Outcome {
        let start = ContinuousClock.now
        let measuredStart = start + shape.warmup
        let deadline = measuredStart + shape.duration
        let (duplicates, duplicateQueue) = AsyncStream.makeStream(of: PlannedMovement.self)
        let movements = await withTaskGroup(of: Void.self, returning: Int.self) { outer in
            outer.addTask { await ProgressReporter(phase: phaseName, statistics: statistics).run() }
            let movements = await withTaskGroup(of: Void.self, returning: Int.self) { inner in
                inner.addTask { await sendDuplicates(duplicates) }
                let movements: Int
                switch shape.pacing {
                case .closed(let concurrency):
                    movements = await runClosedLoop(
                        concurrency: concurrency, measuredStart: measuredStart, deadline: deadline, duplicates: duplicateQueue)
                case .open(let rate, let maximumOutstanding):
                    movements = await runOpenLoop(
                        rate: rate, maximumOutstanding: maximumOutstanding, start: start, measuredStart: measuredStart, deadline: deadline,
                        duplicates: duplicateQueue)
                }
                duplicateQueue.finish()
                await inner.waitForAll()
                return movements
            }
            outer.cancelAll()
            return movements
        }
        let end = ContinuousClock.now
        let measured = max(end - measuredStart, .milliseconds(1))
        return Outcome(movements: movements, measuredSeconds: Double(measured / .milliseconds(1)) / 1000)
    }

    /// `concurrency` workers, each sending its next movement when the previous one is answered.
    private func runClosedLoop(
        concurrency: Int, measuredStart: ContinuousClock.Instant, deadline: ContinuousClock.Instant,
        duplicates: AsyncStream<PlannedMovement>.Continuation
    ) async -> Int {
        let sequence = MovementSequence(limit: shape.requestLimit)
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var generator = SplitMixGenerator(seed: seed &+ UInt64(worker) &* 0x1_0000_0001)
                    while ContinuousClock.now < deadline, let number = sequence.claim() {
                        let movement = planner.movement(key: "\(keyPrefix)-\(number)", using: &generator)
                        let started = ContinuousClock.now
                        await perform(movement, intendedStart: started, measured: started >= measuredStart, duplicates: duplicates, using: &generator)
                    }
                }
            }
        }
        return sequence.claimed
    }

    /// Movements at t0 + i/`rate`, each measured from its intended start, at most `maximumOutstanding` in flight.
    private func runOpenLoop(
        rate: Double, maximumOutstanding: Int, start: ContinuousClock.Instant, measuredStart: ContinuousClock.Instant,
        deadline: ContinuousClock.Instant, duplicates: AsyncStream<PlannedMovement>.Continuation
    ) async -> Int {
        var generator = SplitMixGenerator(seed: seed)
        var sent = 0
        await withTaskGroup(of: Void.self) { group in
            var outstanding = 0
            while sent < shape.requestLimit {
                let intendedStart = start + .seconds(Double(sent) / rate)
                guard intendedStart < deadline else { break }
                do { try await Task.sleep(until: intendedStart, clock: .continuous) } catch { break }
                while outstanding >= maximumOutstanding {
                    await group.next()
                    outstanding -= 1
                }
                let movement = planner.movement(key: "\(keyPrefix)-\(sent)", using: &generator)
                let workerSeed = generator.next()
                group.addTask {
                    var generator = SplitMixGenerator(seed: workerSeed)
                    await perform(
                        movement, intendedStart: intendedStart, measured: intendedStart >= measuredStart, duplicates: duplicates, using: &generator)
                }
                outstanding += 1
                sent += 1
            }
        }
        return sent
    }

    /// Sends one movement to its final answer; queues its duplicate, if any, before (concurrent) or after it.
    private func perform(
        _ movement: PlannedMovement, intendedStart: ContinuousClock.Instant, measured: Bool,
        duplicates: AsyncStream<PlannedMovement>.Continuation, using generator: inout SplitMixGenerator
    ) async {
        if movement.duplicate == .concurrent { duplicates.yield(movement) }
        let answer = await driver.send(movement, statistics: statistics, using: &generator)
        if movement.kind == .hold, case .holdAcknowledged(let hold, _) = answer {
            planner.holds.add(HoldTarget(holdID: hold.id, wallet: movement.wallet, amount: movement.amount))
        }
        if case .acknowledged(let transaction, _) = answer,
            let target = planner.reversalTarget(of: movement, transactionID: transaction.transactionID)
        {
            planner.reversals.add(target)
        }
        if measured { statistics.recordMeasured(movement, answer: answer, latency: ContinuousClock.now - intendedStart) }
        if movement.duplicate == .afterOriginal { duplicates.yield(movement) }
    }

    /// Sends every queued duplicate, at most ``LoadShape/maximumDuplicatesInFlight`` at once.
    private func sendDuplicates(_ queue: AsyncStream<PlannedMovement>) async {
        await withTaskGroup(of: Void.self) { group in
            var inFlight = 0
            var seeds = SplitMixGenerator(seed: ~seed)
            for await movement in queue {
                if inFlight >= LoadShape.maximumDuplicatesInFlight {
                    await group.next()
                    inFlight -= 1
                }
                statistics.recordDuplicate()
                let duplicateSeed = seeds.next()
                group.addTask {
                    var generator = SplitMixGenerator(seed: duplicateSeed)
                    _ = await driver.send(movement, statistics: statistics, using: &generator)
                }
                inFlight += 1
            }
        }
    }
}
