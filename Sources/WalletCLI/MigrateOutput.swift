import Foundation
import WalletMigrations

/// How `wallet migrate` prints: one line at a time, written at once (unbuffered) so that progress shows as it happens.
enum MigrateOutput {
    /// Writes `text` and a newline to standard output.
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// `3 statements`, `1 statement`.
    static func statements(_ count: Int) -> String {
        count == 1 ? "1 statement" : "\(count) statements"
    }

    /// `2 migrations`, `1 migration`.
    static func migrations(_ count: Int) -> String {
        count == 1 ? "1 migration" : "\(count) migrations"
    }

    /// `applied 0002_wallets (3 statements, 41 ms)`.
    static func outcome(_ outcome: MigrationOutcome) -> String {
        let verb = outcome.direction == .up ? "applied" : "reverted"
        return "\(verb) \(outcome.migration.identifier) (\(statements(outcome.statementCount)), \(outcome.durationMs) ms)"
    }

    /// The lines that describe a finished (or dry) `up` or `down`.
    static func printRun(_ run: MigrationRun) {
        let verb = run.direction == .up ? "apply" : "revert"
        if run.planned.isEmpty {
            line("nothing to \(verb): the schema is at version \(run.versionAfter)")
            return
        }
        if run.isDryRun {
            for migration in run.planned {
                let file = run.direction == .up ? migration.up : migration.down
                line("would \(verb) \(migration.identifier) (\(statements(file.statements.count)))")
            }
            let count = migrations(run.planned.count)
            line("dry run: nothing changed; \(count) would take the schema from version \(run.versionBefore) to \(run.versionAfter)")
            return
        }
        line("the schema is at version \(run.versionAfter)")
    }

    /// A UTC time as `2025-01-31 12:34:56.789 UTC`.
    static func timestamp(_ date: Date) -> String {
        date.formatted(
            Date.ISO8601FormatStyle(dateSeparator: .dash, dateTimeSeparator: .space, timeZone: TimeZone(identifier: "UTC")!)
                .year().month().day().time(includingFractionalSeconds: true)
        ) + " UTC"
    }

    /// Rows of cells as columns padded to their widest cell, two spaces apart.
    static func table(_ rows: [[String]]) -> [String] {
        let widths = rows.reduce(into: [Int]()) { widths, row in
            for (index, cell) in row.enumerated() {
                if index == widths.count { widths.append(0) }
                widths[index] = max(widths[index], cell.count)
            }
        }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
    }
}
