/// What `up` or `down` did, or, for a dry run, would do.
public struct MigrationRun: Sendable {
    /// Up or down.
    public let direction: MigrationFileName.Direction
    /// True when nothing was changed.
    public let isDryRun: Bool
    /// The migrations to apply or revert, in the order they run.
    public let planned: [Migration]
    /// Those that ran (empty for a dry run).
    public let completed: [MigrationOutcome]
    /// The highest recorded version before the run.
    public let versionBefore: Int64
    /// The highest recorded version after the run (for a dry run: after it, were it real).
    public let versionAfter: Int64

    /// A run with its plan and what completed.
    public init(
        direction: MigrationFileName.Direction,
        isDryRun: Bool,
        planned: [Migration],
        completed: [MigrationOutcome],
        versionBefore: Int64,
        versionAfter: Int64
    ) {
        self.direction = direction
        self.isDryRun = isDryRun
        self.planned = planned
        self.completed = completed
        self.versionBefore = versionBefore
        self.versionAfter = versionAfter
    }
}
