/// One change that `force` makes to `schema_migrations`.
public enum ForceChange: Sendable, Hashable {
    /// A row above the forced version was deleted.
    case removed(AppliedMigration)
    /// A dirty row at or below the forced version was marked clean, with this checksum (the file's current one,
    /// or the recorded one when the files are gone).
    case cleaned(AppliedMigration, checksum: String)
    /// A migration at or below the forced version that had no row was recorded as applied.
    case recorded(Migration)

    /// The version concerned.
    public var version: Int64 {
        switch self {
        case .removed(let record), .cleaned(let record, _): record.version
        case .recorded(let migration): migration.version
        }
    }
}
