import Foundation
import Testing
import TestSupport
@testable import WalletHTTP

/// The bounded table behind every rate limiter, on its own (I/O-free), and the limiter over it with an injected clock.
@Suite("Least recently used table")
struct LeastRecentlyUsedTableTests {
    @Test func aNewKeyInAFullTableTakesThePlaceOfTheKeyUsedLongestAgo() {
        var table = LeastRecentlyUsedTable<String, Int>(capacity: 3)
        #expect(table.set(1, for: "a") == nil)
        #expect(table.set(2, for: "b") == nil)
        #expect(table.set(3, for: "c") == nil)
        #expect(table.use("a") == 1)
        #expect(table.keysFromNewest == ["a", "c", "b"])

        let first = table.set(4, for: "d")
        #expect(first?.key == "b" && first?.value == 2, "b was used longest ago")
        #expect(table.use("b") == nil)
        #expect(table.set(30, for: "c") == nil, "a key already held is updated in place")
        #expect(table.keysFromNewest == ["c", "d", "a"])
        #expect(table.set(5, for: "e")?.key == "a")
        #expect(table.keysFromNewest == ["e", "c", "d"])
        #expect(table.count == 3)
        #expect(table.use("c") == 30)
    }

    @Test func aTableOfOneKeepsTheLatestKey() {
        var table = LeastRecentlyUsedTable<Int, Int>(capacity: 1)
        for key in 0..<5 { table.set(key, for: key) }
        #expect(table.keysFromNewest == [4])
        #expect(table.use(3) == nil)
    }

    /// Random operations against a plain list that does the same thing the slow way: the same keys, in the same
    /// order, and never more than the capacity.
    @Test func itAgreesWithAPlainListAndNeverExceedsItsBound() {
        let capacity = 50
        var table = LeastRecentlyUsedTable<Int, Int>(capacity: capacity)
        var model: [(key: Int, value: Int)] = []  // newest first
        var random = SplitMix64(seed: 13)
        for step in 0..<20_000 {
            let key = Int(random.next() % 120)
            if random.next() % 3 == 0 {
                let expected = model.firstIndex { $0.key == key }.map { model.remove(at: $0) }
                if let expected { model.insert(expected, at: 0) }
                #expect(table.use(key) == expected?.value)
            } else {
                let evicted = table.set(step, for: key)
                if let index = model.firstIndex(where: { $0.key == key }) {
                    model.remove(at: index)
                    #expect(evicted == nil)
                } else if model.count == capacity {
                    let oldest = model.removeLast()
                    #expect(evicted?.key == oldest.key)
                }
                model.insert((key, step), at: 0)
            }
            #expect(table.count <= capacity)
        }
        #expect(table.keysFromNewest == model.map(\.key))
    }

    @Test func theLimiterDropsTheBucketUsedLongestAgoAndKeepsTheOthersState() {
        let limiter = TokenBucketLimiter(policy: .init(burst: 1, perSecond: 0.0001), maximumKeys: 2)
        #expect(limiter.take(RateLimitKey("a"), now: 0).allowed)
        #expect(limiter.take(RateLimitKey("b"), now: 1).allowed)
        #expect(!limiter.take(RateLimitKey("a"), now: 2).allowed, "a has spent its token; a is now the newest")
        #expect(limiter.take(RateLimitKey("c"), now: 3).allowed)
        #expect(limiter.keyCount == 2)
        #expect(!limiter.take(RateLimitKey("a"), now: 4).allowed, "a kept its empty bucket")
        #expect(limiter.take(RateLimitKey("b"), now: 5).allowed, "b was dropped, so it starts full again")
        limiter.refund(RateLimitKey("zz"), now: 6)
        #expect(limiter.keyCount == 2, "a refund never adds a key")
    }

    /// Takes for new keys in a full table (each one evicts) cost the same whatever the table's size: prints the time per take for
    /// tables of 1,000 and 100,000 keys (no timed assertion: the machine is shared).
    @Test func aTakeInAFullTableCostsTheSameAtAnySize() {
        let takes = 200_000
        var perTake: [Int: Double] = [:]
        for size in [1_000, 100_000] {
            let limiter = TokenBucketLimiter(policy: .init(burst: 5, perSecond: 1.0 / 60), maximumKeys: size)
            for key in 0..<size { _ = limiter.take(RateLimitKey("resident-\(key)"), now: 0) }
            let keys = (0..<takes).map { RateLimitKey("new-\($0)") }
            let started = ContinuousClock.now
            for key in keys { _ = limiter.take(key, now: 1) }
            let elapsed = ContinuousClock.now - started
            perTake[size] = Double(elapsed.components.attoseconds) / 1e9 / Double(takes) + Double(elapsed.components.seconds) * 1e9 / Double(takes)
            #expect(limiter.keyCount == size)
        }
        print(String(format: "token bucket take with eviction: %.0f ns in a full table of 1,000 keys, %.0f ns of 100,000", perTake[1_000]!, perTake[100_000]!))
    }
}
