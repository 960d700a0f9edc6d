import ArgumentParser
import Logging
import MariaDB
import WalletCore

/// `wallet audit`: checks the ledger's invariants over the whole database.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check the ledger: every balance equals its entries, none is negative, money is conserved.",
        discussion: """
            Checks over the whole database that every wallet's balance equals the sum of its entries and its latest \
            balance_after, that no balance is negative, that every transaction's entries add up, and that, per \
            currency, the balances add up to deposits minus withdrawals. Prints a summary (wallets, entries, totals \
            by currency) and each offending wallet or transaction. Exits 0 when the ledger is sound, 1 otherwise.
            """
    )

    /// The longest the audit waits for its connection.
    static let acquireTimeout: Duration = .seconds(30)
    /// The shortest read timeout of the audit's connection: its queries scan whole tables.
    static let minimumReadTimeoutSeconds: UInt32 = 600

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        var configuration = try database.configuration()
        configuration.readTimeoutSeconds = max(configuration.readTimeoutSeconds, Self.minimumReadTimeoutSeconds)
        var logger = Logger(label: "wallet.audit")
        logger.logLevel = .warning
        let pool = MariaDBConnectionPool(database: configuration, configuration: .init(size: 1, acquireTimeout: Self.acquireTimeout), logger: logger)
        let report: AuditReport
        do {
            report = try await WalletService(pool: pool, logger: logger).auditor.run()
        } catch {
            await pool.shutdown()
            throw CommandFailure("the audit could not run against \(configuration.endpointDescription): \(error)")
        }
        await pool.shutdown()
        print(report.description)
        guard report.isClean else { throw ExitCode(ExitStatus.failure) }
    }
}
