import ArgumentParser
import Foundation
import MariaDB
import WalletCore

/// `wallet audit`: checks the ledger's invariants over the whole database.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check the ledger: every balance equals its entries, none is negative, every transaction sums to zero.",
        discussion: """
            Checks over the whole database that every wallet's balance equals the sum of its entries and its latest \
            balance_after, that no balance is negative, that every transaction has two legs that sum to zero (a \
            deposit's from the currency's external account, a withdrawal's to it), that, per currency, all entries \
            sum to zero and the balances add up to deposits minus withdrawals, and that every wallet's held equals \
            the sum of its active holds, which reserve no more than its balance. Prints a summary (wallets, entries, \
            totals and the external account by currency) and each offending wallet or transaction. Exits 0 when the \
            ledger is sound, 1 otherwise.
            """
    )

    /// The shortest read timeout of the audit's connection: its queries scan whole tables.
    static let minimumReadTimeoutSeconds: UInt32 = 600

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        var configuration = try database.configuration()
        configuration.readTimeoutSeconds = max(configuration.readTimeoutSeconds, Self.minimumReadTimeoutSeconds)
        let clock = ContinuousClock()
        let started = clock.now
        let report = try await OperatorSession.run(configuration, label: "wallet.audit") { wallet in
            do {
                return try await wallet.auditor.run()
            } catch {
                throw CommandFailure("the audit could not run against \(configuration.endpointDescription): \(error)")
            }
        }
        print(report.description)
        print(Self.pace(entries: report.entryCount, in: clock.now - started))
        guard report.isClean else { throw ExitCode(ExitStatus.failure) }
    }

    /// How long the audit took and how many entries it checked per second, for an operator sizing its runs.
    static func pace(entries: Int, in elapsed: Duration) -> String {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Int((Double(entries) / seconds).rounded()) : entries
        return "audited \(entries) entries in \(String(format: "%.1f", seconds)) s (\(rate) entries/s)"
    }
}
