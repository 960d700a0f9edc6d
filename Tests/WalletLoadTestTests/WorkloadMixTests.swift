import Testing
import WalletLoadTest

@Suite("--mix parsing and sampling")
struct WorkloadMixTests {
    @Test func parsesWeightsAndDropsZeroes() throws {
        let mix = try WorkloadMix(parsing: "deposit=20,withdrawal=0,transfer=80")
        #expect(mix.weights == [.deposit: 20, .transfer: 80])
        #expect(mix.totalWeight == 100)
        #expect(!mix.includes(.withdrawal))
        #expect(mix.description == "deposit=20,transfer=80")
    }

    @Test func theDefaultRoundTrips() throws {
        #expect(try WorkloadMix(parsing: WorkloadMix.default.description) == WorkloadMix.default)
    }

    @Test(arguments: [
        ("", "kind=weight"),
        ("deposit", "kind=weight"),
        ("deposit=1,", "kind=weight"),
        ("refund=5", "unknown movement 'refund'; use deposit, withdrawal, transfer, hold, capture, void, multileg or reversal"),
        ("multileg=1,multileg=1", "appears twice"),
        ("reversal=x", "integer from 0"),
        ("hold=1,hold=2", "appears twice"),
        ("void=-1", "integer from 0"),
        ("deposit=1,deposit=2", "appears twice"),
        ("deposit=-1", "integer from 0"),
        ("deposit=1.5", "integer from 0"),
        ("deposit=9999999999", "integer from 0"),
        ("deposit=0,transfer=0", "at least one weight must be positive"),
    ])
    func rejectsBadInput(text: String, message: String) {
        #expect {
            try WorkloadMix(parsing: text)
        } throws: { error in
            (error as? UsageError)?.message.contains(message) == true
        }
    }

    @Test func drawsFallInTheirKindsBands() throws {
        let mix = try WorkloadMix(parsing: "deposit=2,withdrawal=3,transfer=5")
        #expect((0..<2).allSatisfy { mix.kind(forDraw: $0) == .deposit })
        #expect((2..<5).allSatisfy { mix.kind(forDraw: $0) == .withdrawal })
        #expect((5..<10).allSatisfy { mix.kind(forDraw: $0) == .transfer })
    }

    @Test func parsesTheHoldKinds() throws {
        let mix = try WorkloadMix(parsing: "deposit=20,hold=15,capture=10,void=5")
        #expect(mix.weights == [.deposit: 20, .hold: 15, .capture: 10, .void: 5])
        #expect(mix.includesHolds)
        #expect(mix.description == "deposit=20,hold=15,capture=10,void=5")
        #expect(try WorkloadMix(parsing: mix.description) == mix)
        #expect(try WorkloadMix(parsing: "capture=1").includesHolds, "captures without placements: the planner places holds first")
        #expect(!WorkloadMix.default.includesHolds)
        #expect(!(try WorkloadMix(parsing: "hold=0,deposit=1")).includesHolds)
    }

    @Test func parsesMultiLegTransfersAndReversals() throws {
        let mix = try WorkloadMix(parsing: "deposit=20,transfer=30,multileg=25,reversal=25")
        #expect(mix.weights == [.deposit: 20, .transfer: 30, .multileg: 25, .reversal: 25])
        #expect(mix.description == "deposit=20,transfer=30,multileg=25,reversal=25")
        #expect(try WorkloadMix(parsing: mix.description) == mix)
        #expect(!mix.includesHolds)
        #expect(try WorkloadMix(parsing: "multileg=1").needsPairs)
        #expect(try WorkloadMix(parsing: "reversal=1").needsPairs, "reversals fall back to transfers while nothing is there to reverse")
        #expect(!(try WorkloadMix(parsing: "deposit=1,hold=1")).needsPairs)
        #expect((0..<100).map { mix.kind(forDraw: $0) }.filter { $0 == .reversal }.count == 25)
    }

    @Test func everyKindHasItsBand() throws {
        let mix = try WorkloadMix(parsing: "deposit=1,withdrawal=1,transfer=1,hold=2,capture=3,void=1")
        #expect((0..<9).map { mix.kind(forDraw: $0) } == [.deposit, .withdrawal, .transfer, .hold, .hold, .capture, .capture, .capture, .void])
    }

    @Test func legsPerKindFollowTheDoubleEntryContract() {
        #expect(MovementKind.allCases.map(\.legCount) == [2, 2, 2, 0, 2, 0, nil, nil], "multi-leg transfers and reversals: per movement")
        #expect(MovementKind.allCases.filter(\.writesTransaction) == [.deposit, .withdrawal, .transfer, .capture, .multileg, .reversal])
        #expect(MovementKind.allCases.filter(\.isHoldKind) == [.hold, .capture, .void])
        #expect(MovementKind.allCases.filter(\.isReversible) == [.deposit, .withdrawal, .transfer, .capture, .multileg])
    }

    @Test func samplesInProportion() throws {
        let mix = try WorkloadMix(parsing: "deposit=10,transfer=90")
        var generator = SplitMixGenerator(seed: 7)
        var counts: [MovementKind: Int] = [:]
        for _ in 0..<10_000 { counts[mix.sample(using: &generator), default: 0] += 1 }
        #expect(counts[.withdrawal] == nil)
        #expect((800...1200).contains(counts[.deposit] ?? 0), "\(counts)")
    }
}
