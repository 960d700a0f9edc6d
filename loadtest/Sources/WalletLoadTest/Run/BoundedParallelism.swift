/// Runs `body` for every index in `0..<count`, at most `parallelism` at a time, and returns the results in index order;
/// the first error stops the rest and is rethrown.
public func mapIndices<T: Sendable>(
    _ count: Int,
    parallelism: Int,
    _ body: @escaping @Sendable (Int) async throws -> T
) async throws -> [T] {
    precondition(parallelism >= 1, "at least one task at a time")
    return try await withThrowingTaskGroup(of: (Int, T).self) { group in
        var results: [T?] = Array(repeating: nil, count: count)
        var next = 0
        while next < min(parallelism, count) {
            let index = next
            group.addTask { (index, try await body(index)) }
            next += 1
        }
        while let (index, result) = try await group.next() {
            results[index] = result
            guard next < count else { continue }
            let index = next
            group.addTask { (index, try await body(index)) }
            next += 1
        }
        return results.map { $0! }
    }
}
