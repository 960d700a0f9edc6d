import Synchronization

/// A value behind a lock that closures of concurrent tasks can share (a `Mutex` cannot be captured).
public final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    public init(_ value: Value) {
        mutex = Mutex(value)
    }

    /// Runs `body` with exclusive access to the value.
    public func withLock<T: Sendable>(_ body: (inout sending Value) -> sending T) -> T {
        mutex.withLock(body)
    }

    /// The current value.
    public var value: Value { mutex.withLock { $0 } }
}
