import ArgumentParser
import Foundation
import WalletCore

/// `wallet api-keys`: applications' API keys. The first key of an application has to come from the operator; with
/// the scope `keys:write` an application can then manage its own keys over HTTP.
struct APIKeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api-keys",
        abstract: "Issue, list and revoke applications' API keys.",
        discussion: """
            A key's secret (wk_...) is printed once, when it is created, and only its SHA-256 is stored. A revoked \
            or expired key stops working at once on every instance. Scopes: \
            \(APIKeyScope.all.map(\.name).joined(separator: ", ")). Exit status: 0 success, 1 failure, 2 usage error.
            """,
        subcommands: [APIKeysCreateCommand.self, APIKeysListCommand.self, APIKeysRevokeCommand.self]
    )
}

/// `wallet api-keys create --app NAME --scopes LIST [--expires-in 90d] [--movement-burst N --movements-per-second R]`.
struct APIKeysCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Issue a key for an application; prints its id, scopes, expiry and (this once) its secret."
    )

    @Option(help: ArgumentHelp("The application's name.", valueName: "name"))
    var app: String

    @Option(help: ArgumentHelp("Scopes, separated by commas: \(APIKeyScope.all.map(\.name).joined(separator: ",")).", valueName: "list"))
    var scopes: String

    @Option(name: .customLong("expires-in"), help: ArgumentHelp("Lifetime such as 90d, 12h, 30m (default: until revoked).", valueName: "duration"))
    var expiresIn: String?

    @Option(name: .customLong("movement-burst"), help: ArgumentHelp("The key's own money-movement burst (with --movements-per-second).", valueName: "n"))
    var movementBurst: Int?

    @Option(name: .customLong("movements-per-second"), help: ArgumentHelp("The key's own money-movement rate (with --movement-burst).", valueName: "r"))
    var movementsPerSecond: Double?

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        guard let name = ApplicationName(app) else { throw ValidationError("'\(app)' is not an application name") }
        guard let scopes = Set<APIKeyScope>(parsing: scopes), !scopes.isEmpty else {
            throw ValidationError("--scopes takes one or more of \(APIKeyScope.all.map(\.name).joined(separator: ", ")), separated by commas")
        }
        let lifetime = try expiresIn.map { text in
            guard let seconds = OperatorText.seconds(of: text), seconds <= Int64(APIKeyStore.maximumLifetimeSeconds) else {
                throw ValidationError("--expires-in takes a duration such as 90d, 12h or 30m, at most \(APIKeyStore.maximumLifetimeSeconds / 86_400)d")
            }
            return TimeInterval(seconds)
        }
        let rateLimit: MovementRateLimit?
        switch (movementBurst, movementsPerSecond) {
        case (nil, nil): rateLimit = nil
        case (let burst?, let perSecond?):
            guard let limit = MovementRateLimit(burst: burst, perSecond: perSecond) else {
                throw ValidationError(
                    "--movement-burst must be 1 to \(MovementRateLimit.maximumBurst) and --movements-per-second above 0, at most \(MovementRateLimit.maximumPerSecond)"
                )
            }
            rateLimit = limit
        default: throw ValidationError("--movement-burst and --movements-per-second go together")
        }
        let now = Date()
        let issued = try await OperatorSession.run(try database.configuration(), label: "wallet.api-keys") { wallet in
            do {
                let application = try await wallet.applications.application(named: name)
                return try await wallet.apiKeys.issue(
                    for: application.id, scopes: scopes, expiresAt: lifetime.map { now.addingTimeInterval($0) }, rateLimit: rateLimit, now: now
                )
            } catch WalletError.applicationNotFound {
                throw CommandFailure("no application is named \(name) (wallet apps create --name \(name))")
            } catch WalletError.apiKeyLimitReached {
                throw CommandFailure("\(name) has \(APIKeyStore.maximumLiveKeysPerApplication) live keys already: revoke one first")
            }
        }
        let key = issued.key
        print("id:      \(key.id)")
        print("app:     \(name) (\(key.applicationID))")
        print("scopes:  \(key.scopes.spaceSeparated)")
        print("expires: \(key.expiresAt.map(OperatorText.timestamp) ?? "never")")
        print("secret:  \(issued.secret)")
        print("The secret is shown only now: store it where the application reads it.")
    }
}

/// `wallet api-keys list [--app NAME]`.
struct APIKeysListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List keys (never their secrets): id, application, prefix, scopes, created, last used, expires, state."
    )

    /// The most keys listed.
    static let maximumListed = 10_000

    @Option(help: ArgumentHelp("Only this application's keys.", valueName: "name"))
    var app: String?

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let name = try app.map { text in
            guard let name = ApplicationName(text) else { throw ValidationError("'\(text)' is not an application name") }
            return name
        }
        let keys = try await OperatorSession.run(try database.configuration(), label: "wallet.api-keys") { wallet in
            let application: ApplicationID?
            do {
                application = try await name.asyncMap { try await wallet.applications.application(named: $0).id }
            } catch WalletError.applicationNotFound {
                throw CommandFailure("no application is named \(name?.rawValue ?? "")")
            }
            var keys: [APIKey] = []
            var cursor: APIKeyID?
            repeat {
                let page = try await wallet.apiKeys.keys(of: application, pageSize: .largest, after: cursor)
                keys += page.keys
                cursor = page.nextCursor
            } while cursor != nil && keys.count < Self.maximumListed
            return keys
        }
        let now = Date()
        print(["id", "application", "prefix", "scopes", "created", "last_used", "expires", "state"].joined(separator: "\t"))
        for key in keys.prefix(Self.maximumListed) {
            let state = key.revokedAt != nil ? "revoked" : key.isLive(at: now) ? "live" : "expired"
            print(
                [
                    key.id.rawValue, key.applicationID.rawValue, key.displayPrefix, key.scopes.sorted().map(\.name).joined(separator: ","),
                    OperatorText.timestamp(key.createdAt), key.lastUsedAt.map(OperatorText.timestamp) ?? "never",
                    key.expiresAt.map(OperatorText.timestamp) ?? "never", state,
                ].joined(separator: "\t")
            )
        }
        if keys.count > Self.maximumListed { print("(only the first \(Self.maximumListed) keys are listed)") }
    }
}

/// `wallet api-keys revoke ID`.
struct APIKeysRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a key: it stops working at once, on every instance.")

    @Argument(help: ArgumentHelp("The key's id (key_...), as api-keys list shows it.", valueName: "id"))
    var id: String

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        guard let id = APIKeyID(id) else { throw ValidationError("'\(id)' is not an API key id (key_...)") }
        let key = try await OperatorSession.run(try database.configuration(), label: "wallet.api-keys") { wallet in
            do {
                return try await wallet.apiKeys.revoke(id)
            } catch WalletError.apiKeyNotFound {
                throw CommandFailure("no API key has the id \(id)")
            }
        }
        print("revoked \(key.id) (\(key.displayPrefix)…) at \(key.revokedAt.map(OperatorText.timestamp) ?? "?")")
    }
}

extension Optional {
    /// `map` with an async, throwing transform.
    func asyncMap<U>(_ transform: (Wrapped) async throws -> U) async rethrows -> U? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
