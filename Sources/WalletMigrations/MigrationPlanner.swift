/// Decides what `up`, `down` and `force` do, from a ``MigrationStatus`` alone: pure, no I/O.
///
/// The runner reads the status under the migration lock, asks the planner, then carries the plan out.
public enum MigrationPlanner {
    /// The pending migrations up to `target` (all when nil), in increasing version order.
    ///
    /// Refuses while any migration is dirty, and when a modified or missing migration lies at or below the target.
    public static func up(_ status: MigrationStatus, to target: Int64? = nil) throws(MigrationError) -> [Migration] {
        try refuseDirty(status)
        let limit = target ?? Int64.max
        let broken = status.entries.filter { ($0.state == .modified || $0.state == .missing) && $0.version <= limit }
        if !broken.isEmpty {
            let list = broken.map {
                "\($0.identifier) (\($0.state == .modified ? "its up file changed since it was applied" : "applied, but its files are gone"))"
            }
            throw MigrationError(
                .validationFailed,
                "refusing to migrate: applied migrations no longer match the folder: \(list.joined(separator: ", ")). "
                    + "Restore the files as they were applied (or repair by hand and use force)",
                versions: broken.map(\.version)
            )
        }
        return status.entries.filter { $0.state == .pending && $0.version <= limit }.compactMap(\.migration)
    }

    /// The applied migrations to revert for `target`, in decreasing version order.
    ///
    /// Refuses while any migration is dirty, and when one to revert has no files.
    public static func down(_ status: MigrationStatus, _ target: MigrationDownTarget) throws(MigrationError) -> [Migration] {
        try refuseDirty(status)
        let recorded = status.entries.filter { $0.record != nil }.reversed()
        let chosen: [MigrationStatus.Entry]
        switch target {
        case .steps(let steps):
            precondition(steps > 0, "down reverts at least one migration")
            chosen = Array(recorded.prefix(steps))
        case .version(let version):
            precondition(version >= 0, "versions are not negative")
            chosen = recorded.filter { $0.version > version }
        }
        let missing = chosen.filter { $0.migration == nil }
        if !missing.isEmpty {
            throw MigrationError(
                .missingFile,
                "cannot revert \(missing.map(\.identifier).joined(separator: ", ")): the files are gone from the folder",
                versions: missing.map(\.version)
            )
        }
        return chosen.compactMap(\.migration)
    }

    /// The changes that record the schema as being exactly at `version`, in version order.
    ///
    /// `version` must be 0 or the version of a file or a row.
    public static func force(_ status: MigrationStatus, to version: Int64) throws(MigrationError) -> [ForceChange] {
        guard version == 0 || status.entries.contains(where: { $0.version == version }) else {
            throw MigrationError(
                .unknownVersion,
                "no migration has version \(version): give the version of a file or of an applied migration, or 0 for none",
                versions: [version]
            )
        }
        var changes: [ForceChange] = []
        for entry in status.entries {
            switch (entry.record, entry.migration) {
            case (let record?, _) where entry.version > version:
                changes.append(.removed(record))
            case (let record?, let migration) where record.isDirty:
                changes.append(.cleaned(record, checksum: migration?.checksum ?? record.checksum))
            case (nil, let migration?) where entry.version <= version:
                changes.append(.recorded(migration))
            default:
                break
            }
        }
        return changes
    }

    /// Throws ``MigrationError/Code/dirty`` when any migration is dirty.
    public static func refuseDirty(_ status: MigrationStatus) throws(MigrationError) {
        let dirty = status.entries(in: .dirty)
        guard let first = dirty.first else { return }
        throw MigrationError(
            .dirty,
            "\(dirty.map(\.identifier).joined(separator: ", ")) \(dirty.count == 1 ? "is" : "are") dirty: "
                + "a migration failed part-way, and MariaDB commits DDL statement by statement, so the schema may hold part of it. "
                + "Repair the schema by hand, then force the version it is at: \(first.version) if \(first.identifier) is now fully applied, "
                + "\(status.recordedVersion(below: first.version)) if none of it is",
            versions: dirty.map(\.version)
        )
    }
}
