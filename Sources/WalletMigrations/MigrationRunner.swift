import Foundation
public import MariaDB

/// Applies, reverts, checks and forces the migrations of one folder on one database.
///
/// Every command runs on a single pooled connection, on the pool's own thread. Commands that change anything hold
/// the migration lock (``MigrationLock``: `GET_LOCK('<database>.schema_migrations')`, or on a Galera cluster a
/// leased row) for their whole run and read `schema_migrations` only once they hold it, so concurrent runners, on
/// one server or on several nodes, take turns and apply each migration exactly once.
///
/// MariaDB commits each DDL statement on its own, so a migration cannot be rolled back as a whole. Instead its row is
/// written dirty before its first statement and marked clean after its last; a failure leaves it dirty, and `up` and
/// `down` refuse to run until someone repairs the schema by hand and records where it stands with ``force(to:)``.
///
/// Before applying or reverting anything, `up` and `down` check that the server will accept the plan's triggers and
/// functions from this account (``BinaryLogPreflight``), so a server with a binary log does not leave a migration
/// dirty at its first `CREATE TRIGGER`.
///
/// Methods throw ``MigrationError`` for migration problems and `MariaDBError` when the database cannot be reached.
public struct MigrationRunner: Sendable {
    /// The default limit on waiting for another runner's lock.
    public static let defaultLockTimeout: Duration = .seconds(60)
    /// The most characters of a failed statement quoted in its error.
    public static let statementExcerptLength = 80

    /// Where the commands run.
    public let pool: MariaDBConnectionPool
    /// The migrations.
    public let directory: MigrationDirectory
    /// The longest a command waits for the migration lock.
    public let lockTimeout: Duration
    /// The lock to take, or nil for the one suited to the server (``MigrationLock/leaseRow`` on a Galera node).
    public let lock: MigrationLock?

    /// A runner for the migrations of `directory`, using connections of `pool`.
    public init(
        pool: MariaDBConnectionPool, directory: MigrationDirectory, lockTimeout: Duration = Self.defaultLockTimeout, lock: MigrationLock? = nil
    ) {
        precondition(lockTimeout > .zero, "the lock timeout must be positive")
        self.pool = pool
        self.directory = directory
        self.lockTimeout = lockTimeout
        self.lock = lock
    }

    /// `lock`, or when nil the lock suited to the server `connection` is on.
    private static func lock(_ lock: MigrationLock?, on connection: MariaDBConnection) -> MigrationLock {
        lock ?? .suited(to: connection)
    }

    /// Every migration of the folder or the table, with its state. Changes nothing, takes no lock.
    public func status() async throws -> MigrationStatus {
        try await pool.withConnection { [directory] connection in
            try Self.status(on: connection, directory: directory)
        }
    }

    /// The status, seen as a check: modified, missing and dirty migrations are problems; pending ones are not.
    public func verify() async throws -> MigrationVerification {
        MigrationVerification(status: try await status())
    }

    /// Nil when every migration in the folder is applied and none is dirty, modified or missing; else why not.
    public func readinessProblem() async throws -> String? {
        try await status().readinessProblem
    }

    /// Applies the pending migrations up to `target` (all when nil), in version order.
    ///
    /// - Parameters:
    ///   - target: The highest version to apply.
    ///   - dryRun: Plan and validate only; change nothing (not even create `schema_migrations`).
    ///   - progress: Called on the pool's thread after each migration is applied.
    public func up(
        to target: Int64? = nil,
        dryRun: Bool = false,
        progress: @escaping @Sendable (MigrationOutcome) -> Void = { _ in }
    ) async throws -> MigrationRun {
        precondition((target ?? 0) >= 0, "versions are not negative")
        return try await pool.withConnection { [directory, lockTimeout, lock] connection in
            if dryRun {
                let status = try Self.status(on: connection, directory: directory)
                let plan = try MigrationPlanner.up(status, to: target)
                try BinaryLogPreflight.check(plan.map(\.up), on: connection)
                return Self.run(.up, dryRun: true, plan: plan, completed: [], status: status)
            }
            return try Self.lock(lock, on: connection).withLock(on: connection, timeout: lockTimeout) { held in
                try SchemaMigrationsTable.create(on: connection)
                let status = try Self.status(on: connection, directory: directory)
                let plan = try MigrationPlanner.up(status, to: target)
                try BinaryLogPreflight.check(plan.map(\.up), on: connection)
                var completed: [MigrationOutcome] = []
                for migration in plan {
                    try held.renew()
                    let previous = max(status.recordedVersion(below: migration.version), completed.last?.migration.version ?? 0)
                    let outcome = try Self.apply(migration, previousVersion: previous, on: connection)
                    completed.append(outcome)
                    progress(outcome)
                }
                return Self.run(.up, dryRun: false, plan: plan, completed: completed, status: status)
            }
        }
    }

    /// Reverts applied migrations, newest first: one by default.
    ///
    /// - Parameters:
    ///   - target: How many to revert, or the version to go down to.
    ///   - dryRun: Plan and validate only; change nothing.
    ///   - progress: Called on the pool's thread after each migration is reverted.
    public func down(
        _ target: MigrationDownTarget = .steps(1),
        dryRun: Bool = false,
        progress: @escaping @Sendable (MigrationOutcome) -> Void = { _ in }
    ) async throws -> MigrationRun {
        return try await pool.withConnection { [directory, lockTimeout, lock] connection in
            if dryRun {
                let status = try Self.status(on: connection, directory: directory)
                let plan = try MigrationPlanner.down(status, target)
                try BinaryLogPreflight.check(plan.map(\.down), on: connection)
                return Self.run(.down, dryRun: true, plan: plan, completed: [], status: status)
            }
            return try Self.lock(lock, on: connection).withLock(on: connection, timeout: lockTimeout) { held in
                try SchemaMigrationsTable.create(on: connection)
                let status = try Self.status(on: connection, directory: directory)
                let plan = try MigrationPlanner.down(status, target)
                try BinaryLogPreflight.check(plan.map(\.down), on: connection)
                var completed: [MigrationOutcome] = []
                for migration in plan {
                    try held.renew()
                    let previous = status.recordedVersion(below: migration.version)
                    let outcome = try Self.revert(migration, previousVersion: previous, on: connection)
                    completed.append(outcome)
                    progress(outcome)
                }
                return Self.run(.down, dryRun: false, plan: plan, completed: completed, status: status)
            }
        }
    }

    /// Records the schema as being exactly at `version`, after a manual repair; runs no migration file.
    ///
    /// Clears dirty flags (a dirty row at or below `version` takes its file's current checksum), deletes the rows
    /// above `version`, and records the files at or below it that have no row as applied. `0` means nothing applied.
    public func force(to version: Int64) async throws -> ForceReport {
        precondition(version >= 0, "versions are not negative")
        return try await pool.withConnection { [directory, lockTimeout, lock] connection in
            try Self.lock(lock, on: connection).withLock(on: connection, timeout: lockTimeout) { _ in
                try SchemaMigrationsTable.create(on: connection)
                let status = try Self.status(on: connection, directory: directory)
                let changes = try MigrationPlanner.force(status, to: version)
                if !changes.isEmpty {
                    let now = Date()
                    try connection.withTransaction(.repeatableRead) { transaction in
                        for change in changes {
                            switch change {
                            case .removed(let record):
                                try SchemaMigrationsTable.delete(version: record.version, on: transaction)
                            case .cleaned(let record, let checksum):
                                try SchemaMigrationsTable.clearDirty(version: record.version, checksum: checksum, on: transaction)
                            case .recorded(let migration):
                                try SchemaMigrationsTable.insertApplied(migration, appliedAt: now, on: transaction)
                            }
                        }
                    }
                }
                return ForceReport(version: version, changes: changes)
            }
        }
    }

    // MARK: On a connection the caller already holds

    /// The status, on a connection the caller holds: one prepared `SELECT`, no lock, no table creation.
    public static func status(on connection: MariaDBConnection, directory: MigrationDirectory) throws -> MigrationStatus {
        MigrationStatus(migrations: directory.migrations, applied: try SchemaMigrationsTable.readAll(on: connection))
    }

    /// For a readiness probe on a connection the caller holds (the HTTP service's pool): nil when every migration
    /// in `directory` is applied and none is dirty, modified or missing; else why not. Cheap: one prepared `SELECT`.
    public static func readinessProblem(on connection: MariaDBConnection, directory: MigrationDirectory) throws -> String? {
        try status(on: connection, directory: directory).readinessProblem
    }

    // MARK: Running one migration

    private static func apply(_ migration: Migration, previousVersion: Int64, on connection: MariaDBConnection) throws -> MigrationOutcome {
        let clock = ContinuousClock()
        let started = clock.now
        try SchemaMigrationsTable.insertDirty(migration, startedAt: Date(), on: connection)
        try runStatements(
            of: migration.up,
            migration: migration,
            repairHint: "force \(migration.version) if \(migration.identifier) is now fully applied, \(previousVersion) if none of it is",
            unmark: { connection throws(MariaDBError) in try SchemaMigrationsTable.delete(version: migration.version, on: connection) },
            on: connection
        )
        let durationMs = milliseconds(clock.now - started)
        try SchemaMigrationsTable.markApplied(
            version: migration.version,
            checksum: migration.checksum,
            appliedAt: Date(),
            durationMs: durationMs,
            on: connection
        )
        return MigrationOutcome(migration: migration, direction: .up, statementCount: migration.up.statements.count, durationMs: durationMs)
    }

    private static func revert(_ migration: Migration, previousVersion: Int64, on connection: MariaDBConnection) throws -> MigrationOutcome {
        let clock = ContinuousClock()
        let started = clock.now
        try SchemaMigrationsTable.markDirty(version: migration.version, on: connection)
        try runStatements(
            of: migration.down,
            migration: migration,
            repairHint: "force \(previousVersion) if \(migration.identifier) is now fully reverted, \(migration.version) if it is fully applied",
            unmark: { connection throws(MariaDBError) in
                try SchemaMigrationsTable.clearDirty(version: migration.version, checksum: migration.checksum, on: connection)
            },
            on: connection
        )
        try SchemaMigrationsTable.delete(version: migration.version, on: connection)
        let durationMs = milliseconds(clock.now - started)
        return MigrationOutcome(migration: migration, direction: .down, statementCount: migration.down.statements.count, durationMs: durationMs)
    }

    /// Runs a file's statements as text (DDL cannot be prepared); the first failure names the file, the statement
    /// and the server's error. When the first statement fails, nothing of the file ran (each MariaDB DDL statement is
    /// atomic, and a refused one changes nothing), so `unmark` undoes the dirty mark and the migration stays as it was.
    private static func runStatements(
        of file: MigrationFile,
        migration: Migration,
        repairHint: String,
        unmark: (MariaDBConnection) throws(MariaDBError) -> Void,
        on connection: MariaDBConnection
    ) throws(MigrationError) {
        for (index, statement) in file.statements.enumerated() {
            do {
                try connection.query(statement.text)
            } catch {
                let number = index + 1
                if index == 0, (try? unmark(connection)) != nil {
                    throw MigrationError(
                        .statementFailed,
                        "\(file.path): its first statement (line \(statement.line): \(excerpt(statement.text))) failed: \(error). "
                            + "Nothing of \(migration.identifier) ran, and it stays as it was.",
                        file: file.path,
                        versions: [migration.version],
                        statementNumber: number,
                        serverError: error
                    )
                }
                throw MigrationError(
                    .statementFailed,
                    "\(file.path): statement \(number) of \(file.statements.count) (line \(statement.line): \(excerpt(statement.text))) "
                        + "failed: \(error). \(migration.identifier) is now dirty: the statements before it stay committed. "
                        + "Repair the schema by hand, then \(repairHint)",
                    file: file.path,
                    versions: [migration.version],
                    statementNumber: number,
                    serverError: error
                )
            }
        }
    }

    private static func run(
        _ direction: MigrationFileName.Direction,
        dryRun: Bool,
        plan: [Migration],
        completed: [MigrationOutcome],
        status: MigrationStatus
    ) -> MigrationRun {
        let versionAfter: Int64
        switch direction {
        case .up:
            versionAfter = max(status.currentVersion, plan.last?.version ?? 0)
        case .down:
            let reverted = Set(plan.map(\.version))
            versionAfter = status.entries.last { $0.record != nil && !reverted.contains($0.version) }?.version ?? 0
        }
        return MigrationRun(
            direction: direction,
            isDryRun: dryRun,
            planned: plan,
            completed: completed,
            versionBefore: status.currentVersion,
            versionAfter: versionAfter
        )
    }

    /// The statement's first line, shortened to ``statementExcerptLength`` characters.
    private static func excerpt(_ text: String) -> String {
        let firstLine = text.prefix { $0 != "\n" }
        if firstLine.count <= statementExcerptLength && firstLine.count == text.count { return "\"\(firstLine)\"" }
        return "\"\(firstLine.prefix(statementExcerptLength))…\""
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
