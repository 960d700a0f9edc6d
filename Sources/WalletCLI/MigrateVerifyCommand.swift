import ArgumentParser
import WalletMigrations

/// `wallet migrate verify`: fails when the applied migrations no longer match the folder.
struct MigrateVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that applied migrations match their files; exit 1 on any modified, missing or dirty one.",
        discussion: "Also checks every file of the folder. Pending migrations are reported but are not a failure. Changes nothing."
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var migrations: MigrationsOptions

    func run() async throws {
        let verification = try await MigrateSession.withRunner(database: database, migrations: migrations) { try await $0.verify() }
        for entry in verification.problems {
            MigrateOutput.line("\(entry.state.rawValue): \(entry.identifier): \(explanation(entry))")
        }
        for entry in verification.pending {
            MigrateOutput.line("pending: \(entry.identifier): not applied yet")
        }
        let total = MigrateOutput.migrations(verification.status.entries.count)
        guard verification.passed else {
            let count = verification.problems.count
            throw CommandFailure("verify found \(count) problem\(count == 1 ? "" : "s") in \(total)")
        }
        MigrateOutput.line("verify: ok (\(total), \(verification.pending.count) pending)")
    }

    private func explanation(_ entry: MigrationStatus.Entry) -> String {
        let recordedChecksum = entry.record?.checksum ?? ""
        switch entry.state {
        case .modified:
            let file = entry.migration?.up.path ?? ""
            let current = entry.migration?.checksum ?? ""
            return "\(file) changed since it was applied (SHA-256 now \(current.prefix(12))…, recorded \(recordedChecksum.prefix(12))…)"
        case .missing:
            let appliedAt = entry.appliedAt.map(MigrateOutput.timestamp) ?? "?"
            return "applied at \(appliedAt), but its files are gone from \(migrations.directory)"
        case .dirty:
            return "failed part-way (or is running right now); repair the schema by hand, then run wallet migrate force VERSION"
        case .applied, .pending:
            return entry.state.rawValue
        }
    }
}
