/// What `force` changed.
public struct ForceReport: Sendable {
    /// The version the schema is now recorded at.
    public let version: Int64
    /// The changes, in version order; empty when the records already said so.
    public let changes: [ForceChange]

    /// A report of `changes` that recorded the schema at `version`.
    public init(version: Int64, changes: [ForceChange]) {
        self.version = version
        self.changes = changes
    }
}
