import HummingbirdBcrypt
import NIOCore
public import ServiceLifecycle

/// Hashes and verifies passwords with bcrypt, each on a bounded ``BcryptThreadPool`` of its own: new hashes
/// (registration) on ``hashing``, checks (sign-in) on ``verifying``, so that a registration flood cannot delay
/// sign-ins, and neither delays money movements, which never wait for bcrypt.
///
/// A service: it stops both pools on graceful shutdown, after the HTTP server has finished its requests.
public struct PasswordHasher: Service, Sendable {
    /// The default bcrypt cost (work factor 2^cost).
    public static let defaultCost: UInt8 = 10
    /// The cost range accepted in configuration.
    public static let costRange: ClosedRange<UInt8> = 4...16
    /// Registrations hashed at once by default: half the cores (at least one), so that a flood of them leaves the
    /// other half to sign-ins and everything else.
    public static var defaultHashingThreads: Int { max(1, System.coreCount / 2) }
    /// Registrations waiting for or in bcrypt by default; more get `503 overloaded` (16 at cost 10 is well under
    /// a second of waiting on one thread).
    public static let defaultMaximumPendingHashes = 16
    /// Sign-ins verified at once by default: one a core.
    public static var defaultVerifyingThreads: Int { System.coreCount }
    /// Sign-ins waiting for or in bcrypt by default; more get `503 overloaded`.
    public static let defaultMaximumPendingVerifications = 64

    public let cost: UInt8
    /// Where new hashes are made.
    public let hashing: BcryptThreadPool
    /// Where passwords are checked against their hashes.
    public let verifying: BcryptThreadPool

    /// A hasher with pools of the default sizes, started now.
    public init(cost: UInt8 = Self.defaultCost) {
        self.init(
            cost: cost,
            hashing: BcryptThreadPool(
                name: "registration hashing", threadCount: Self.defaultHashingThreads, maximumPending: Self.defaultMaximumPendingHashes),
            verifying: BcryptThreadPool(
                name: "sign-in verification", threadCount: Self.defaultVerifyingThreads,
                maximumPending: Self.defaultMaximumPendingVerifications)
        )
    }

    /// A hasher on the pools given.
    public init(cost: UInt8, hashing: BcryptThreadPool, verifying: BcryptThreadPool) {
        precondition(Self.costRange.contains(cost), "bcrypt cost must be within \(Self.costRange)")
        self.cost = cost
        self.hashing = hashing
        self.verifying = verifying
    }

    /// The bcrypt hash of `password`; `503 overloaded` when the hashing queue is full.
    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await hashing.run { Bcrypt.hash(password, cost: cost) }
    }

    /// True when `password` matches `hash`; `503 overloaded` when the verifying queue is full.
    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await verifying.run { Bcrypt.verify(password, hash: hash) }
    }

    /// Waits for graceful shutdown, then stops both pools.
    public func run() async throws {
        try? await gracefulShutdown()
        try await shutdown()
    }

    /// Stops both pools once the work already queued has run.
    public func shutdown() async throws {
        try await hashing.shutdown()
        try await verifying.shutdown()
    }
}
