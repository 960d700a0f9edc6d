/// Everything one `wallet-loadtest` run measured and checked: what `--json FILE` holds.
public struct LoadTestReport: Sendable, Codable {
    public var database: DatabaseSettings
    public var http: PhaseReport?
    public var direct: PhaseReport?
    /// The hand-written baseline's phase.
    public var raw: PhaseReport?
    /// Acknowledged ops/s over HTTP divided by acknowledged ops/s in-process; nil unless both phases ran.
    public var httpToDirectRatio: Double?
    /// Acknowledged ops/s over HTTP divided by the hand-written baseline's; nil unless both phases ran.
    public var httpToRawRatio: Double?
    /// True when every phase that ran verified.
    public var passed: Bool

    init(database: DatabaseSettings, http: PhaseReport?, direct: PhaseReport?, raw: PhaseReport? = nil) {
        self.database = database
        self.http = http
        self.direct = direct
        self.raw = raw
        if let http, let direct, direct.totalPerSecond > 0 {
            self.httpToDirectRatio = http.totalPerSecond / direct.totalPerSecond
        }
        if let http, let raw, raw.totalPerSecond > 0 {
            self.httpToRawRatio = http.totalPerSecond / raw.totalPerSecond
        }
        self.passed = [http, direct, raw].compactMap { $0 }.allSatisfy(\.verification.passed)
    }
}
