import HummingbirdBcrypt
public import NIOPosix

/// Hashes and verifies passwords with bcrypt, off the Swift concurrency pool.
///
/// bcrypt is deliberately slow (tens of milliseconds of CPU at cost 10), so it runs on a thread pool of its own
/// rather than stalling the few cooperative threads that every request shares.
public struct PasswordHasher: Sendable {
    /// The default bcrypt cost (work factor 2^cost).
    public static let defaultCost: UInt8 = 10
    /// The cost range accepted in configuration.
    public static let costRange: ClosedRange<UInt8> = 4...16

    public let cost: UInt8
    private let threadPool: NIOThreadPool

    public init(cost: UInt8 = Self.defaultCost, threadPool: NIOThreadPool = .singleton) {
        precondition(Self.costRange.contains(cost), "bcrypt cost must be within \(Self.costRange)")
        self.cost = cost
        self.threadPool = threadPool
    }

    /// The bcrypt hash of `password`.
    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await threadPool.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// True when `password` matches `hash`.
    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await threadPool.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}
