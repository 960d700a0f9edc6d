/// One migration that `up` applied or `down` reverted.
public struct MigrationOutcome: Sendable, Hashable {
    /// The migration.
    public let migration: Migration
    /// Up when applied, down when reverted.
    public let direction: MigrationFileName.Direction
    /// How many statements ran.
    public let statementCount: Int
    /// How long they took.
    public let durationMs: Int64

    /// One migration run in `direction`.
    public init(migration: Migration, direction: MigrationFileName.Direction, statementCount: Int, durationMs: Int64) {
        self.migration = migration
        self.direction = direction
        self.statementCount = statementCount
        self.durationMs = durationMs
    }
}
