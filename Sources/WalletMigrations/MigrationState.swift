/// Where one migration stands, comparing the migrations folder with `schema_migrations`.
public enum MigrationState: String, Sendable, Hashable, CaseIterable {
    /// Applied, and its up file is unchanged since.
    case applied
    /// In the folder, not applied.
    case pending
    /// Applied, but its up file changed since (the checksums differ).
    case modified
    /// Applied, but its files are no longer in the folder.
    case missing
    /// Failed part-way (or is running right now): the schema may hold part of it.
    case dirty

    /// True for the states `verify` reports as problems.
    public var isProblem: Bool {
        switch self {
        case .modified, .missing, .dirty: true
        case .applied, .pending: false
        }
    }
}
