/// A small, fast, seedable random number generator (SplitMix64): one per worker, so no worker waits for another
/// and a `--seed` makes a workload repeatable.
public struct SplitMixGenerator: RandomNumberGenerator, Sendable {
    /// The increment of the state (the golden ratio in 64-bit fixed point).
    static let increment: UInt64 = 0x9E37_79B9_7F4A_7C15

    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) {
        self.state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= Self.increment
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
