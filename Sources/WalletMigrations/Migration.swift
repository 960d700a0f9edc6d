/// One migration: a version, a name, and the up and down files that apply and revert it.
public struct Migration: Sendable, Hashable {
    /// The version; migrations are applied in increasing version order.
    public let version: Int64
    /// The name, lower-case letters, digits and underscores.
    public let name: String
    /// The version as written in the file names, with its leading zeros.
    public let versionText: String
    /// The file that applies the migration.
    public let up: MigrationFile
    /// The file that reverts it.
    public let down: MigrationFile

    /// A migration from its parsed file names and read files; `version` must be above 0.
    public init(version: Int64, name: String, versionText: String, up: MigrationFile, down: MigrationFile) {
        precondition(version > 0, "migration versions start at 1")
        self.version = version
        self.name = name
        self.versionText = versionText
        self.up = up
        self.down = down
    }

    /// `NNNN_name`, as printed in messages.
    public var identifier: String { "\(versionText)_\(name)" }

    /// The checksum recorded when the migration is applied: that of the up file.
    public var checksum: String { up.checksum }
}
