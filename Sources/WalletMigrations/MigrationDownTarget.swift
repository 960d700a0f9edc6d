/// How far `down` reverts.
public enum MigrationDownTarget: Sendable, Hashable {
    /// Revert this many of the most recently applied migrations (at least 1).
    case steps(Int)
    /// Revert every applied migration above this version; 0 reverts them all.
    case version(Int64)
}
