public import Foundation

/// Records the expiry of holds whose time has come, so that the stored state matches what reads already show.
///
/// Reads and movements treat an active hold past its `expires_at` as expired whether or not this ran; the sweeper
/// only writes it down (status, the wallet's stored `held`), in rounds of at most ``batchSize`` holds, each an
/// expiry movement on the hold's wallet (combined with the wallet's other movements, version-checked like them).
/// A hold that a capture or void resolved meanwhile is left as that movement left it.
public struct HoldSweeper: Sendable {
    /// The most holds one round expires by default.
    public static let defaultBatchSize = 100
    /// Every batch size a sweeper may have.
    public static let validBatchSizes: ClosedRange<Int> = 1...1000

    let holds: HoldStore
    let movements: MoneyMovements
    /// The most holds one round expires.
    public let batchSize: Int

    init(holds: HoldStore, movements: MoneyMovements, batchSize: Int) {
        precondition(Self.validBatchSizes.contains(batchSize), "a sweep batch of \(Self.validBatchSizes)")
        self.holds = holds
        self.movements = movements
        self.batchSize = batchSize
    }

    /// One round: expires up to ``batchSize`` holds due by `now`, side by side. Returns how many due holds it
    /// found and how many expiries it recorded (fewer when captures or voids resolved some first); a round that
    /// found ``batchSize`` may have left more for the next.
    public func sweep(now: Date = Date()) async throws -> (found: Int, recorded: Int) {
        let due = try await holds.due(at: now, limit: batchSize)
        let recorded = try await withThrowingTaskGroup(of: Bool.self) { group in
            for hold in due {
                group.addTask { try await movements.expire(hold.hold, on: hold.wallet, placedBy: hold.placer) != nil }
            }
            var recorded = 0
            for try await expired in group where expired { recorded += 1 }
            return recorded
        }
        return (due.count, recorded)
    }
}
