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
        ("refund=5", "unknown movement 'refund'"),
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

    @Test func samplesInProportion() throws {
        let mix = try WorkloadMix(parsing: "deposit=10,transfer=90")
        var generator = SplitMixGenerator(seed: 7)
        var counts: [MovementKind: Int] = [:]
        for _ in 0..<10_000 { counts[mix.sample(using: &generator), default: 0] += 1 }
        #expect(counts[.withdrawal] == nil)
        #expect((800...1200).contains(counts[.deposit] ?? 0), "\(counts)")
    }
}
