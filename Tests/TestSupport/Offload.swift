import Foundation

/// Runs blocking work (a child process, a blocking MariaDB call) on a thread of its own, so that tests never block
/// the Swift concurrency pool that the code under test relies on.
public func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        thread.start()
    }
}
