import Testing
import WalletLoadTest

@Suite("--distribution parsing and wallet sampling")
struct WalletDistributionTests {
    static let draws = 20_000

    private func histogram(_ distribution: WalletDistribution, wallets: Int, seed: UInt64 = 1) -> [Int] {
        let sampler = WalletSampler(distribution: distribution, walletCount: wallets)
        var generator = SplitMixGenerator(seed: seed)
        var counts = Array(repeating: 0, count: wallets)
        for _ in 0..<Self.draws { counts[sampler.wallet(using: &generator)] += 1 }
        return counts
    }

    @Test func parses() throws {
        #expect(try WalletDistribution(parsing: "uniform") == .uniform)
        #expect(try WalletDistribution(parsing: "zipf:1.1") == .zipf(exponent: 1.1))
        #expect(try WalletDistribution(parsing: "hot:5") == .hot(count: 5))
    }

    @Test(arguments: ["", "zipf", "zipf:0", "zipf:-1", "zipf:x", "hot:0", "hot:-2", "hot:1.5", "pareto:2", "uniform:3"])
    func rejectsBadInput(text: String) {
        #expect(throws: UsageError.self) { try WalletDistribution(parsing: text) }
    }

    @Test func hotOnlyPicksTheHotWallets() {
        let counts = histogram(.hot(count: 3), wallets: 50)
        #expect(counts[0..<3].allSatisfy { $0 > 0 })
        #expect(counts[3...].allSatisfy { $0 == 0 }, "\(counts)")
    }

    @Test func hotTransfersStayAmongTheHotWalletsAndAreDistinct() {
        let sampler = WalletSampler(distribution: .hot(count: 2), walletCount: 100)
        var generator = SplitMixGenerator(seed: 3)
        for _ in 0..<5_000 {
            let pair = sampler.distinctPair(using: &generator)
            #expect(pair.source != pair.destination)
            #expect(pair.source < 2 && pair.destination < 2)
        }
    }

    @Test func zipfSkewsToLowRanks() {
        let counts = histogram(.zipf(exponent: 1.2), wallets: 1000)
        #expect(counts[0] > counts[1] && counts[1] > counts[10] && counts[10] > counts[500])
        let top10 = counts[0..<10].reduce(0, +)
        #expect(Double(top10) / Double(Self.draws) > 0.5, "the top 1% of ranks get most of the traffic")
        #expect(counts[999] < Self.draws / 1000, "the tail is colder than uniform")
    }

    @Test func uniformCoversEveryWalletEvenly() {
        let counts = histogram(.uniform, wallets: 20)
        let expected = Self.draws / 20
        #expect(counts.allSatisfy { abs($0 - expected) < expected / 5 }, "\(counts)")
    }

    @Test func zipfPairsAreDistinctEvenWhenOneWalletDominates() {
        let sampler = WalletSampler(distribution: .zipf(exponent: 10), walletCount: 5)
        var generator = SplitMixGenerator(seed: 5)
        for _ in 0..<2_000 {
            let pair = sampler.distinctPair(using: &generator)
            #expect(pair.source != pair.destination)
        }
    }

    @Test func oneHotWalletCannotCarryTransfers() {
        #expect {
            try WalletDistribution.hot(count: 1).validate(walletCount: 10, needsPairs: true)
        } throws: { error in
            (error as? UsageError)?.message.contains("two distinct wallets") == true
        }
        #expect(throws: Never.self) { try WalletDistribution.hot(count: 1).validate(walletCount: 10, needsPairs: false) }
        #expect(throws: UsageError.self) { try WalletDistribution.hot(count: 11).validate(walletCount: 10, needsPairs: false) }
        #expect(throws: UsageError.self) { try WalletDistribution.uniform.validate(walletCount: 1, needsPairs: true) }
    }

    @Test func amountsStayInTheirRange() throws {
        let range = try AmountRange(parsing: "5-7")
        var generator = SplitMixGenerator(seed: 9)
        let amounts = Set((0..<1_000).map { _ in range.sample(using: &generator) })
        #expect(amounts == [5, 6, 7])
        #expect(try AmountRange(parsing: "42").minorUnits == 42...42)
        for bad in ["0-5", "7-5", "a-b", "1-2-3", "1-9007199254740992", ""] {
            #expect(throws: UsageError.self, "\(bad)") { try AmountRange(parsing: bad) }
        }
    }
}
