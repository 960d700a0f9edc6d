import ArgumentParser
import WalletCore

/// `wallet apps`: the applications, principals that authenticate with API keys instead of a user's session.
struct AppsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apps",
        abstract: "Create and list applications (backends that use the API with keys).",
        discussion: """
            An application owns wallets and moves money like a user, but authenticates with API keys \
            (wallet api-keys create). Exit status: 0 success, 1 failure, 2 usage error.
            """,
        subcommands: [AppsCreateCommand.self, AppsListCommand.self]
    )
}

/// `wallet apps create --name NAME`.
struct AppsCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create an application; prints its id and name.")

    @Option(help: ArgumentHelp("The application's name: 1 to 64 of a-z, 0-9, '-' and '_', unique.", valueName: "name"))
    var name: String

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        guard let name = ApplicationName(name) else {
            throw ValidationError("'\(name)' is not an application name: 1 to \(ApplicationName.maximumLength) of a-z, 0-9, '-' and '_'")
        }
        let application = try await OperatorSession.run(try database.configuration(), label: "wallet.apps") { wallet in
            do {
                return try await wallet.applications.create(name: name)
            } catch WalletError.applicationNameTaken {
                throw CommandFailure("an application named \(name) exists already")
            }
        }
        print("\(application.id) \(application.name)")
    }
}

/// `wallet apps list`.
struct AppsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the applications by name (at most \(ApplicationStore.maximumListed)): id, name, created."
    )

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let applications = try await OperatorSession.run(try database.configuration(), label: "wallet.apps") { wallet in
            try await wallet.applications.list()
        }
        for application in applications {
            print("\(application.id) \(application.name) \(OperatorText.timestamp(application.createdAt))")
        }
    }
}
