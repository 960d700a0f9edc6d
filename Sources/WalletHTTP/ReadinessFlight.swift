import Synchronization

/// Shares one readiness probe among every caller that arrives while it runs, each of whom waits at most its own
/// deadline.
///
/// The first caller launches a probe; later callers join it. When the probe ends, every caller still waiting gets
/// its result; a caller whose deadline passes first is answered that the database did not answer in time, and the
/// probe goes on for those who joined later (it ends on its own: ``ReadinessProbe`` bounds every step). So at most
/// one probe runs at a time, however many callers there are.
final class ReadinessFlight: Sendable {
    /// The most callers waiting at once; more are answered at once (health routes are not behind the in-flight limit).
    static let maximumWaiters = 1024

    /// Starts a probe and calls its argument with the result, from any thread, once.
    typealias Launch = @Sendable (_ done: @escaping @Sendable (String?) -> Void) -> Void

    private struct Waiter {
        var continuation: CheckedContinuation<String?, Never>
        var deadline: Task<Void, Never>
    }

    private struct State {
        var isProbing = false
        var waiters: [UInt64: Waiter] = [:]
        var lastWaiterID: UInt64 = 0
    }

    private enum Arrival {
        case launch, join, refuse
    }

    private let launch: Launch
    private let state = Mutex(State())

    init(launch: @escaping Launch) {
        self.launch = launch
    }

    /// The result of the probe in flight, or of a new one when none is; or, after `timeout`, why there is none.
    func result(within timeout: Duration) async -> String? {
        await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            let arrival = state.withLock { state -> Arrival in
                guard state.waiters.count < Self.maximumWaiters else { return .refuse }
                state.lastWaiterID += 1
                let id = state.lastWaiterID
                // The deadline's task takes this lock to expire the waiter, so it cannot act before the waiter is stored.
                let deadline = Task {
                    do { try await Task.sleep(for: timeout) } catch { return }
                    self.expire(id, after: timeout)
                }
                state.waiters[id] = Waiter(continuation: continuation, deadline: deadline)
                if state.isProbing { return .join }
                state.isProbing = true
                return .launch
            }
            switch arrival {
            case .launch:
                launch { problem in self.finish(with: problem) }
            case .join:
                break
            case .refuse:
                continuation.resume(returning: "more than \(Self.maximumWaiters) readiness probes are waiting")
            }
        }
    }

    private func finish(with problem: String?) {
        let waiters = state.withLock { state in
            state.isProbing = false
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters {
            waiter.deadline.cancel()
            waiter.continuation.resume(returning: problem)
        }
    }

    private func expire(_ id: UInt64, after timeout: Duration) {
        let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
        waiter?.continuation.resume(returning: "the database did not answer within \(timeout)")
    }
}
