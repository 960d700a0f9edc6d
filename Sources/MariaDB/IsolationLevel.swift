import Foundation

/// A transaction isolation level, as `SET TRANSACTION ISOLATION LEVEL` names it.
public enum IsolationLevel: String, Sendable, CaseIterable {
    case readUncommitted = "READ UNCOMMITTED"
    case readCommitted = "READ COMMITTED"
    case repeatableRead = "REPEATABLE READ"
    case serializable = "SERIALIZABLE"

    /// The name as the server reports it in `@@tx_isolation` (for example `REPEATABLE-READ`).
    public var serverName: String { rawValue.replacingOccurrences(of: " ", with: "-") }
}
