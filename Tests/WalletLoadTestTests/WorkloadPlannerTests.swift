import Testing
import WalletLoadTest

/// How the planner turns capture and void draws into movements on the holds of its pool.
@Suite("Workload planner and hold pool")
struct WorkloadPlannerTests {
    static let draws = 2_000

    private func makePlanner(
        _ mix: String, distribution: WalletDistribution = .uniform, wallets: Int = 10, expiryShare: Double = 0, contested: Double = 0
    ) throws -> WorkloadPlanner {
        WorkloadPlanner(
            mix: try WorkloadMix(parsing: mix), sampler: WalletSampler(distribution: distribution, walletCount: wallets),
            amounts: try AmountRange(parsing: "1-100"), duplicateRate: 0,
            holdSettings: HoldSettings(shortExpiryShare: expiryShare, shortExpirySeconds: 3, contestedShare: contested))
    }

    @Test func aCaptureOrVoidWithoutAnOpenHoldPlacesOne() throws {
        let planner = try makePlanner("capture=1,void=1")
        var generator = SplitMixGenerator(seed: 1)
        for number in 0..<100 {
            let movement = planner.movement(key: "k-\(number)", using: &generator)
            #expect(movement.kind == .hold && movement.hold == nil && movement.destination == nil)
        }
    }

    @Test func capturesAndVoidsTakeEachOpenHoldOnce() throws {
        let planner = try makePlanner("capture=1,void=1")
        let placed = (0..<50).map { HoldTarget(holdID: "hld_\($0)", wallet: $0 % 10, amount: Int64($0 + 1)) }
        for hold in placed { planner.holds.add(hold) }
        planner.holds.add(placed[0])
        var generator = SplitMixGenerator(seed: 2)
        var taken: [String] = []
        var captures = 0
        var partial = 0
        var toWallet = 0
        for number in 0..<50 {
            let movement = planner.movement(key: "k-\(number)", using: &generator)
            let hold = try #require(movement.hold)
            taken.append(hold.holdID)
            #expect(movement.wallet == hold.wallet, "the hold's owner sends it")
            #expect(movement.destination != movement.wallet)
            switch movement.kind {
            case .capture:
                captures += 1
                #expect((1...hold.amount).contains(movement.amount))
                if movement.capturesWholeHold { #expect(movement.amount == hold.amount) } else { partial += 1 }
                if movement.destination != nil { toWallet += 1 }
                #expect(movement.walletEntryCount == (movement.destination == nil ? 1 : 2))
            case .void:
                #expect(movement.amount == hold.amount && movement.destination == nil && movement.walletEntryCount == 0)
            default:
                Issue.record("a \(movement.kind) while holds were open")
            }
        }
        #expect(Set(taken).count == 50, "no hold taken twice without contest")
        #expect(planner.holds.openCount == 0)
        #expect(captures > 10 && partial > 0 && toWallet > 0 && toWallet < captures, "captures \(captures), partial \(partial), to a wallet \(toWallet)")
        #expect(planner.movement(key: "k-last", using: &generator).kind == .hold, "the pool is empty again")
    }

    @Test func contestedDrawsAimAtRecentlyTakenHolds() throws {
        let planner = try makePlanner("void=1", contested: 1)
        planner.holds.add(HoldTarget(holdID: "hld_first", wallet: 3, amount: 9))
        var generator = SplitMixGenerator(seed: 3)
        // Nothing was taken yet: a contested draw takes an open hold.
        #expect(planner.movement(key: "k-0", using: &generator).hold?.holdID == "hld_first")
        for number in 1..<20 {
            let movement = planner.movement(key: "k-\(number)", using: &generator)
            #expect(movement.kind == .void && movement.hold?.holdID == "hld_first", "a second void of the same hold, under another key")
        }
    }

    @Test func onlyTheShareOfShortHoldsGetsAnExpiry() throws {
        var generator = SplitMixGenerator(seed: 4)
        let always = try makePlanner("hold=1", expiryShare: 1)
        #expect((0..<100).allSatisfy { always.movement(key: "k-\($0)", using: &generator).expiresInSeconds == 3 })
        let never = try makePlanner("hold=1", expiryShare: 0)
        #expect((0..<100).allSatisfy { never.movement(key: "k-\($0)", using: &generator).expiresInSeconds == nil })
        let some = try makePlanner("hold=1", expiryShare: 0.25)
        let short = (0..<Self.draws).filter { some.movement(key: "k-\($0)", using: &generator).expiresInSeconds != nil }.count
        #expect((Self.draws / 8...Self.draws * 3 / 8).contains(short), "\(short) of \(Self.draws)")
    }

    @Test func oneHotWalletCapturesOutOfTheLedger() throws {
        let planner = try makePlanner("capture=1", distribution: .hot(count: 1))
        for number in 0..<20 { planner.holds.add(HoldTarget(holdID: "hld_\(number)", wallet: 0, amount: 5)) }
        var generator = SplitMixGenerator(seed: 5)
        for number in 0..<20 {
            let movement = planner.movement(key: "k-\(number)", using: &generator)
            #expect(movement.kind == .capture && movement.destination == nil)
        }
    }

    @Test func anotherWalletIsNeverTheExcludedOne() {
        let sampler = WalletSampler(distribution: .zipf(exponent: 10), walletCount: 4)
        var generator = SplitMixGenerator(seed: 6)
        for _ in 0..<2_000 {
            #expect(sampler.wallet(otherThan: 0, using: &generator) != 0)
            #expect((0..<4).contains(sampler.wallet(otherThan: 7, using: &generator)))
        }
    }
}
