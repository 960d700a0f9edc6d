import Synchronization

/// Hands out movement numbers to the workers of a closed loop, each number once, up to a limit.
final class MovementSequence: Sendable {
    private let next = Atomic<Int>(0)
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// The next number, or nil when `limit` numbers were handed out.
    func claim() -> Int? {
        let number = next.wrappingAdd(1, ordering: .relaxed).oldValue
        return number < limit ? number : nil
    }

    /// How many numbers were handed out.
    var claimed: Int { min(next.load(ordering: .relaxed), limit) }
}
