import Foundation

/// Runs the phases the settings ask for, prints their tables and verification lines, writes the JSON report.
struct LoadTestRunner: Sendable {
    let settings: LoadTestSettings

    /// True when every phase verified. Throws ``RunError`` when a phase could not run.
    func run() async throws -> Bool {
        let database = await DatabaseSettings.read(url: settings.databaseURL)
        print(ReportPrinter.settings(database))
        var http: PhaseReport?
        var direct: PhaseReport?
        if settings.runsHTTP {
            let report = try await HTTPPhase.run(settings)
            print(ReportPrinter.table(report))
            print("[http] " + report.verification.summary)
            http = report
        }
        if settings.runsDirect {
            let report = try await DirectPhase.run(settings)
            print(ReportPrinter.table(report))
            print("[direct] " + report.verification.summary)
            direct = report
        }
        var raw: PhaseReport?
        if settings.runsRaw {
            let report = try await RawPhase.run(settings)
            print(ReportPrinter.table(report))
            print("[raw] " + report.verification.summary)
            raw = report
        }
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
}
