/// The outcome of `verify`: the problems that make it fail, and the pending migrations it reports.
public struct MigrationVerification: Sendable {
    /// The status it was computed from.
    public let status: MigrationStatus

    /// The verification of `status`.
    public init(status: MigrationStatus) { self.status = status }

    /// The modified, missing and dirty migrations.
    public var problems: [MigrationStatus.Entry] { status.problems }
    /// The migrations not applied yet (not a failure).
    public var pending: [MigrationStatus.Entry] { status.entries(in: .pending) }
    /// True when there is no problem.
    public var passed: Bool { problems.isEmpty }
}
