import Synchronization

/// The holds captures and voids act on.
public typealias HoldPool = TargetPool<HoldTarget>
/// The transactions reversals aim at.
public typealias ReversalPool = TargetPool<ReversalTarget>

/// What a phase's movements may act on: every hold (or reversible transaction) the phase got `201` for, until a
/// draw takes it. Shared by every worker.
///
/// A taken target stays among the ``recentCapacity`` most recently taken ones, which a *contested* draw picks from
/// instead: a second capture or void of a hold that another key is resolving (or has resolved), a second reversal
/// of a transaction another key is reversing, so that the service's one-winner rules and its pinned refusals are
/// exercised under load. At most ``openCapacity`` targets wait to be taken; a target added to a full pool replaces
/// one of them.
public final class TargetPool<Target: Hashable & Sendable>: Sendable {
    /// How many recently taken targets a contested draw picks from.
    public static var recentCapacity: Int { 64 }
    /// The most targets waiting by default: far more than a phase takes, small enough to stay cheap.
    public static var defaultOpenCapacity: Int { 1 << 20 }

    private struct State {
        var open: [Target] = []
        var known: Set<Target> = []
        var recent: [Target] = []
        var nextRecent = 0
        var nextReplaced = 0
    }

    /// The most targets waiting to be taken.
    public let openCapacity: Int
    private let state = Mutex(State())

    public init(openCapacity: Int = TargetPool.defaultOpenCapacity) {
        precondition(openCapacity >= 1, "a pool holds something")
        self.openCapacity = openCapacity
    }

    /// Adds a target acknowledged with `201`; one already added (a duplicate's answer) is ignored.
    public func add(_ target: Target) {
        state.withLock { state in
            guard state.known.insert(target).inserted else { return }
            guard state.open.count == openCapacity else {
                state.open.append(target)
                return
            }
            state.open[state.nextReplaced] = target
            state.nextReplaced = (state.nextReplaced + 1) % openCapacity
        }
    }

    /// A target, chosen with `draw` (a random number): when `contested`, one of the recently taken ones (if any;
    /// otherwise an open one); else an open one, which is taken out of the pool. Nil when there is none.
    public func take(contested: Bool, draw: UInt64) -> Target? {
        state.withLock { state in
            if contested, !state.recent.isEmpty {
                return state.recent[Int(draw % UInt64(state.recent.count))]
            }
            guard !state.open.isEmpty else { return nil }
            let index = Int(draw % UInt64(state.open.count))
            state.open.swapAt(index, state.open.count - 1)
            let target = state.open.removeLast()
            if state.recent.count < Self.recentCapacity {
                state.recent.append(target)
            } else {
                state.recent[state.nextRecent] = target
                state.nextRecent = (state.nextRecent + 1) % Self.recentCapacity
            }
            return target
        }
    }

    /// Targets not taken yet.
    public var openCount: Int { state.withLock { $0.open.count } }
}
