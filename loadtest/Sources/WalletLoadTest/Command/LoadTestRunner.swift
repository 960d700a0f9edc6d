import Foundation

/// Runs the phases the settings ask for, prints their tables and verification lines, writes the JSON report.
struct LoadTestRunner: Sendable {
    let settings: LoadTestSettings

    /// True when every phase verified. Throws ``RunError`` when a phase could not run.
    func run() async throws -> Bool {
        if let path = settings.wrkPopulationPath {
            let count = try await HTTPPhase.writePopulation(settings, to: path)
            print("\(count) funded wallets of \(settings.users) users written to \(path); then: wrk -s loadtest/wrk/transfers.lua \(settings.url) -- \(path)")
            return true
        }
        let database = await DatabaseSettings.read(url: settings.databaseURL)
        print(ReportPrinter.settings(database))
        var settings = settings
        settings.databaseProcessID = database.processID
        let http = try await phase(if: settings.runsHTTP, HTTPPhase.run, settings: settings)
        let direct = try await phase(if: settings.runsDirect, DirectPhase.run, settings: settings)
        let raw = try await phase(if: settings.runsRaw, RawPhase.run, settings: settings)
        let report = LoadTestReport(database: database, http: http, direct: direct, raw: raw)
        for (name, phase) in [("direct", direct), ("raw", raw)] {
            guard let http, let phase, phase.totalPerSecond > 0 else { continue }
            print(String(format: "HTTP/%@ acknowledged ops/s: %.1f / %.1f = %.3f", name, http.totalPerSecond, phase.totalPerSecond, http.totalPerSecond / phase.totalPerSecond))
        }
        if let path = settings.jsonPath {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            do {
                try encoder.encode(report).write(to: URL(fileURLWithPath: path))
            } catch {
                throw RunError("cannot write \(path): \(error)")
            }
        }
        return report.passed
    }

    /// Runs a phase with `run` when `runs`, and prints its table and verification line.
    private func phase(
        if runs: Bool, _ run: (LoadTestSettings) async throws -> PhaseReport, settings: LoadTestSettings
    ) async throws -> PhaseReport? {
        guard runs else { return nil }
        let report = try await run(settings)
        print(ReportPrinter.table(report))
        print("[\(report.mode)] " + report.verification.summary)
        return report
    }
}
