/// Everything one `wallet-loadtest` run measured and checked: what `--json FILE` holds.
public struct LoadTestReport: Sendable, Codable {
    public var database: DatabaseSettings
    public var http: PhaseReport?
    public var direct: PhaseReport?
    /// Acknowledged ops/s over HTTP divided by acknowledged ops/s in-process; nil unless both phases ran.
    public var httpToDirectRatio: Double?
    /// True when every phase that ran verified.
    public var passed: Bool

    init(database: DatabaseSettings, http: PhaseReport?, direct: PhaseReport?) {
        self.database = database
        self.http = http
        self.direct = direct
        if let http, let direct, direct.totalPerSecond > 0 {
            self.httpToDirectRatio = http.totalPerSecond / direct.totalPerSecond
        }
        self.passed = [http, direct].compactMap { $0 }.allSatisfy(\.verification.passed)
    }
}
