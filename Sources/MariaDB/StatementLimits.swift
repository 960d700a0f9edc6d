/// Server-side caps on every statement of a session: how long one may run, waits included
/// (`max_statement_time`, error 1969), and how long it may wait for a row lock (`innodb_lock_wait_timeout`,
/// error 1205).
///
/// Both apply to prepared statements too. `max_statement_time` also interrupts a statement that waits for a row
/// lock, so it is the precise one; the lock wait timeout takes whole seconds only and is the coarse backstop.
public struct StatementLimits: Hashable, Sendable {
    /// The finest `max_statement_time` the server is given (it takes seconds with a fraction).
    public static let resolution: Duration = .milliseconds(1)
    /// The shortest `max_statement_time`: a smaller one would interrupt statements before they could run at all.
    public static let minimumStatementTime: Duration = .milliseconds(10)

    /// The longest one statement may run, waits included (at least ``minimumStatementTime``).
    public let statementTime: Duration
    /// The longest one statement may wait for a row lock, in whole seconds (at least 1).
    public let lockWaitTimeoutSeconds: Int

    /// Limits that let no statement outlast `remaining`: statements run at most `remaining` (but at least
    /// ``minimumStatementTime``), and lock waits at most its whole seconds (but at least one).
    public init(remaining: Duration) {
        self.statementTime = max(remaining, Self.minimumStatementTime)
        self.lockWaitTimeoutSeconds = max(1, Int(remaining.components.seconds))
    }

    /// The `SET SESSION` statement that applies these limits (numbers only: no value comes from a client).
    var setStatement: String {
        let milliseconds = statementTime.components.seconds * 1000 + statementTime.components.attoseconds / 1_000_000_000_000_000
        let seconds = "\(milliseconds / 1000).\(String(repeating: "0", count: 3 - String(milliseconds % 1000).count))\(milliseconds % 1000)"
        return "SET SESSION max_statement_time = \(seconds), innodb_lock_wait_timeout = \(lockWaitTimeoutSeconds)"
    }

    /// The `SET SESSION` statement that gives a session the server's defaults back.
    static let resetStatement = "SET SESSION max_statement_time = DEFAULT, innodb_lock_wait_timeout = DEFAULT"
}
