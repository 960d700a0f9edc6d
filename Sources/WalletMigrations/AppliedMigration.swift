public import Foundation

/// One row of `schema_migrations`: a migration the database records as applied (or as being applied or reverted,
/// when dirty).
public struct AppliedMigration: Sendable, Hashable {
    /// The migration's version.
    public let version: Int64
    /// The migration's name when it was applied.
    public let name: String
    /// The hex SHA-256 of the up file when it was applied.
    public let checksum: String
    /// When it was applied (or, while dirty, when the attempt started), in UTC.
    public let appliedAt: Date
    /// How long its statements took.
    public let durationMs: Int64
    /// True while its statements run, and after they failed part-way.
    public let isDirty: Bool

    /// A row as read from (or written to) the table.
    public init(version: Int64, name: String, checksum: String, appliedAt: Date, durationMs: Int64, isDirty: Bool) {
        self.version = version
        self.name = name
        self.checksum = checksum
        self.appliedAt = appliedAt
        self.durationMs = durationMs
        self.isDirty = isDirty
    }

    /// `NNNN_name`, as printed in messages.
    public var identifier: String { "\(MigrationFileName.versionText(version))_\(name)" }
}
