/// One file of a migration, read and split into statements.
public struct MigrationFile: Sendable, Hashable {
    /// The file's path.
    public let path: String
    /// The file's name, without its folder.
    public let fileName: String
    /// The statements, in order.
    public let statements: [SQLStatement]
    /// The hex SHA-256 of the file's bytes.
    public let checksum: String

    /// A file read from `path`.
    public init(path: String, fileName: String, statements: [SQLStatement], checksum: String) {
        self.path = path
        self.fileName = fileName
        self.statements = statements
        self.checksum = checksum
    }
}
