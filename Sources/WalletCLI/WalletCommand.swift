public import ArgumentParser

/// The `wallet` command line: the service, its migrations and its operator tools.
public struct WalletCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "wallet",
        abstract: "A wallet service over MariaDB: optimistic concurrency, idempotent money movements, a double-entry ledger.",
        subcommands: [ServeCommand.self, MigrateCommand.self, AuditCommand.self, AppsCommand.self, APIKeysCommand.self]
    )

    public init() {}
}
