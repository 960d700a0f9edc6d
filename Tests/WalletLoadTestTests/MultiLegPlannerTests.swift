import Testing
import WalletCore
import WalletLoadTest

/// How the planner builds multi-leg transfers and aims reversals at the transactions of its pool.
@Suite("Workload planner: multi-leg transfers and reversals")
struct MultiLegPlannerTests {
    static let draws = 2_000
    static let users = 4
    static let wallets = 40

    private func makePlanner(_ mix: String, distribution: WalletDistribution = .uniform, contested: Double = 0) throws -> WorkloadPlanner {
        WorkloadPlanner(
            mix: try WorkloadMix(parsing: mix), sampler: WalletSampler(distribution: distribution, walletCount: Self.wallets),
            amounts: try AmountRange(parsing: "1-100"), duplicateRate: 0,
            holdSettings: HoldSettings(shortExpiryShare: 0, shortExpirySeconds: 3, contestedShare: contested), userCount: Self.users)
    }

    @Test func multiLegTransfersLeaveOneOwnersWallets() throws {
        let planner = try makePlanner("multileg=1")
        var generator = SplitMixGenerator(seed: 11)
        var chained = 0
        var singleRecipient = 0
        var withDetails = 0
        for number in 0..<Self.draws {
            let movement = planner.movement(key: "k-\(number)", using: &generator)
            #expect(movement.kind == .multileg)
            #expect((WorkloadPlanner.minimumLegs...WorkloadPlanner.maximumLegs).contains(movement.legs.count))
            let sender = movement.wallet % Self.users
            #expect(movement.legs.allSatisfy { $0.source % Self.users == sender }, "every source is the sender's: \(movement.legs)")
            #expect(movement.legs.allSatisfy { $0.source != $0.destination && (0..<Self.wallets).contains($0.destination) })
            #expect(movement.legs.allSatisfy { (1...100).contains($0.amount) })
            #expect(movement.amount == movement.legs.reduce(0) { $0 + $1.amount } && movement.walletEntryCount == 2 * movement.legs.count)
            if movement.legs[1].source == movement.legs[0].destination { chained += 1 }
            if Set(movement.legs.map { $0.destination % Self.users }).count == 1 { singleRecipient += 1 }
            if movement.details.reference == "lt-ref-k-\(number)" && movement.details.metadata["load_test"] == "multileg" { withDetails += 1 }
        }
        #expect((Self.draws / 5...Self.draws * 2 / 5).contains(chained), "chained \(chained) of \(Self.draws)")
        #expect(singleRecipient >= Self.draws * 2 / 5, "one recipient \(singleRecipient) of \(Self.draws)")
        #expect((Self.draws / 5...Self.draws * 2 / 5).contains(withDetails), "with details \(withDetails) of \(Self.draws)")
    }

    @Test func theLegBoundsFitTheService() {
        #expect(WorkloadPlanner.minimumLegs >= 2 && WorkloadPlanner.minimumLegs <= WorkloadPlanner.maximumLegs)
        #expect(WorkloadPlanner.maximumLegs <= TransferLeg.maximumCount, "the service takes at most \(TransferLeg.maximumCount) legs")
    }

    @Test func aReversalWithoutATargetIsATransfer() throws {
        let planner = try makePlanner("reversal=1")
        var generator = SplitMixGenerator(seed: 12)
        for number in 0..<100 {
            let movement = planner.movement(key: "k-\(number)", using: &generator)
            #expect(movement.kind == .transfer && movement.reversal == nil && movement.destination != nil)
        }
    }

    @Test func reversalsAreSentByTheReverserWithinTheOriginal() throws {
        let planner = try makePlanner("reversal=1")
        let single = (0..<30).map { ReversalTarget(transactionID: "txn_s\($0)", reverser: $0, amount: Int64($0 + 1), legCount: 1, walletEntryCount: 2) }
        let multi = (0..<30).map { ReversalTarget(transactionID: "txn_m\($0)", reverser: $0, amount: 50, legCount: 3, walletEntryCount: 6) }
        for target in single + multi { planner.reversals.add(target) }
        var generator = SplitMixGenerator(seed: 13)
        var taken: [String] = []
        var partial = 0
        var withReason = 0
        for number in 0..<60 {
            let movement = planner.movement(key: "k-\(number)", using: &generator)
            let target = try #require(movement.reversal)
            taken.append(target.transactionID)
            #expect(movement.kind == .reversal && movement.wallet == target.reverser && movement.destination == nil)
            #expect((1...target.amount).contains(movement.amount) && movement.walletEntryCount == target.walletEntryCount)
            if target.isMultiLeg { #expect(movement.reversesWhole, "a multi-leg original is reversed whole") }
            if movement.reversesWhole { #expect(movement.amount == target.amount) } else { partial += 1 }
            if movement.reason == WorkloadPlanner.reversalReason { withReason += 1 }
        }
        #expect(Set(taken).count == 60, "no original taken twice without contest")
        #expect(partial > 0 && partial < 30, "partial \(partial)")
        #expect(withReason > 10 && withReason < 50, "with a reason \(withReason)")
        #expect(planner.movement(key: "k-last", using: &generator).kind == .transfer, "the pool is empty again")
    }

    @Test func contestedReversalsAimAtRecentlyTakenOriginals() throws {
        let planner = try makePlanner("reversal=1", contested: 1)
        planner.reversals.add(ReversalTarget(transactionID: "txn_first", reverser: 3, amount: 9, legCount: 1, walletEntryCount: 2))
        var generator = SplitMixGenerator(seed: 14)
        for number in 0..<20 {
            let movement = planner.movement(key: "k-\(number)", using: &generator)
            #expect(movement.kind == .reversal && movement.reversal?.transactionID == "txn_first", "a race on one original, under another key")
        }
    }

    @Test func theReverserOwnsTheWalletsTheMoneyComesBackOutOf() throws {
        let planner = try makePlanner("deposit=1")
        func target(_ movement: PlannedMovement) -> ReversalTarget? { planner.reversalTarget(of: movement, transactionID: "txn_x") }
        let deposit = PlannedMovement(key: "d", kind: .deposit, wallet: 5, destination: nil, amount: 7, duplicate: nil)
        #expect(target(deposit) == ReversalTarget(transactionID: "txn_x", reverser: 5, amount: 7, legCount: 1, walletEntryCount: 1))
        let withdrawal = PlannedMovement(key: "w", kind: .withdrawal, wallet: 6, destination: nil, amount: 7, duplicate: nil)
        #expect(target(withdrawal)?.reverser == 6, "money comes back in from external to the source")
        let transfer = PlannedMovement(key: "t", kind: .transfer, wallet: 1, destination: 2, amount: 7, duplicate: nil)
        #expect(target(transfer)?.reverser == 2)
        let hold = HoldTarget(holdID: "hld_1", wallet: 3, amount: 9)
        let captureOut = PlannedMovement(key: "c", kind: .capture, wallet: 3, destination: nil, amount: 9, duplicate: nil, hold: hold)
        #expect(target(captureOut)?.reverser == 3)
        let captureTo = PlannedMovement(key: "c2", kind: .capture, wallet: 3, destination: 8, amount: 4, duplicate: nil, hold: hold)
        #expect(target(captureTo)?.reverser == 8)
        let oneRecipient = PlannedMovement(
            key: "m", kind: .multileg, wallet: 0, destination: nil, amount: 5, duplicate: nil,
            legs: [PlannedLeg(source: 0, destination: 1, amount: 2), PlannedLeg(source: 4, destination: 5, amount: 3)])
        #expect(target(oneRecipient) == ReversalTarget(transactionID: "txn_x", reverser: 1, amount: 5, legCount: 2, walletEntryCount: 4))
        let twoRecipients = PlannedMovement(
            key: "m2", kind: .multileg, wallet: 0, destination: nil, amount: 5, duplicate: nil,
            legs: [PlannedLeg(source: 0, destination: 1, amount: 2), PlannedLeg(source: 4, destination: 2, amount: 3)])
        #expect(target(twoRecipients) == nil, "nobody owns every destination, so nobody may reverse it")
        let void = PlannedMovement(key: "v", kind: .void, wallet: 3, destination: nil, amount: 9, duplicate: nil, hold: hold)
        #expect(target(void) == nil)
    }

    @Test func thePoolStaysWithinItsCapacity() {
        let pool = ReversalPool(openCapacity: 8)
        for number in 0..<20 { pool.add(ReversalTarget(transactionID: "txn_\(number)", reverser: 0, amount: 1, legCount: 1, walletEntryCount: 1)) }
        #expect(pool.openCount == 8)
        let taken = (0..<8).compactMap { pool.take(contested: false, draw: UInt64($0)) }
        #expect(Set(taken.map(\.transactionID)).isSuperset(of: (12..<20).map { "txn_\($0)" }), "the newest replaced the oldest")
        #expect(pool.take(contested: false, draw: 0) == nil)
    }

    @Test func oneHotWalletPerOwnerStillPlansMultiLegTransfers() throws {
        let planner = try makePlanner("multileg=1", distribution: .hot(count: 2))
        var generator = SplitMixGenerator(seed: 15)
        for number in 0..<200 {
            let movement = planner.movement(key: "k-\(number)", using: &generator)
            #expect(movement.legs.allSatisfy { $0.source == movement.wallet && $0.destination < 2 && $0.destination != $0.source })
        }
    }
}
