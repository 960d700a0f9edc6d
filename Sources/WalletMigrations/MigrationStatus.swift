public import Foundation

/// Every migration known to the folder or to `schema_migrations`, by version, with its state.
public struct MigrationStatus: Sendable {
    /// The most migrations named per state in ``readinessProblem``; the rest are counted.
    public static let namedInSummaryLimit = 5

    /// One migration's line of the status.
    public struct Entry: Sendable, Hashable {
        /// The version.
        public let version: Int64
        /// `NNNN_name`: the file's, or the recorded one when the files are gone.
        public let identifier: String
        /// Where it stands.
        public let state: MigrationState
        /// The files, when the folder has them.
        public let migration: Migration?
        /// The `schema_migrations` row, when there is one.
        public let record: AppliedMigration?

        /// The name, without the version.
        public var name: String { migration?.name ?? record?.name ?? "" }
        /// When it was applied, if it was.
        public var appliedAt: Date? { record?.appliedAt }
    }

    /// All migrations, in increasing version order.
    public let entries: [Entry]

    /// Compares the folder's `migrations` with the `applied` rows.
    public init(migrations: [Migration], applied: [AppliedMigration]) {
        let files = Dictionary(migrations.map { ($0.version, $0) }, uniquingKeysWith: { first, _ in first })
        let rows = Dictionary(applied.map { ($0.version, $0) }, uniquingKeysWith: { first, _ in first })
        let versions = Set(files.keys).union(rows.keys).sorted()
        entries = versions.map { version in
            let migration = files[version]
            let record = rows[version]
            let state: MigrationState
            switch (migration, record) {
            case (_, let record?) where record.isDirty: state = .dirty
            case (nil, _?): state = .missing
            case (let migration?, let record?): state = migration.checksum == record.checksum ? .applied : .modified
            case (_?, nil): state = .pending
            case (nil, nil): preconditionFailure("every version comes from a file or a row")
            }
            return Entry(
                version: version,
                identifier: migration?.identifier ?? record?.identifier ?? "",
                state: state,
                migration: migration,
                record: record
            )
        }
    }

    /// The highest version recorded in `schema_migrations`, or 0 when none is.
    public var currentVersion: Int64 {
        entries.last { $0.record != nil }?.version ?? 0
    }

    /// The entries in `state`.
    public func entries(in state: MigrationState) -> [Entry] {
        entries.filter { $0.state == state }
    }

    /// The modified, missing and dirty entries.
    public var problems: [Entry] { entries.filter { $0.state.isProblem } }

    /// True when every migration in the folder is applied and none is dirty, modified or missing.
    public var isUpToDate: Bool { entries.allSatisfy { $0.state == .applied } }

    /// Nil when the schema is fully migrated; else a one-line reason, for a readiness probe.
    public var readinessProblem: String? {
        guard !isUpToDate else { return nil }
        let parts = [MigrationState.dirty, .modified, .missing, .pending].compactMap { state -> String? in
            let matching = entries(in: state)
            guard !matching.isEmpty else { return nil }
            var names = matching.prefix(Self.namedInSummaryLimit).map(\.identifier)
            if matching.count > Self.namedInSummaryLimit { names.append("…") }
            return "\(matching.count) \(state.rawValue) (\(names.joined(separator: ", ")))"
        }
        return "the schema is not fully migrated: " + parts.joined(separator: "; ")
    }

    /// The highest recorded version below `version`, or 0: where the schema is if a migration at `version` did
    /// nothing.
    public func recordedVersion(below version: Int64) -> Int64 {
        entries.last { $0.record != nil && $0.version < version }?.version ?? 0
    }
}
