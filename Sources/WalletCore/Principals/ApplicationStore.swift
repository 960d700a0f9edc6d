public import Foundation
import MariaDB

/// Applications: created and listed by the operator (`wallet apps`), found by name.
public struct ApplicationStore: Sendable {
    /// The most applications ``list()`` returns.
    public static let maximumListed = 1000

    /// Every SQL statement on `applications` (and their `principals` rows).
    enum SQL {
        static let insertPrincipal = "INSERT INTO principals (id, kind, created_at) VALUES (?, 'application', ?)"
        static let insert = "INSERT INTO applications (id, name, created_at) VALUES (?, ?, ?)"
        static let selectByName = "SELECT id, name, created_at FROM applications WHERE name = ?"
        static let selectAll = "SELECT id, name, created_at FROM applications ORDER BY name LIMIT ?"
    }

    let database: WalletDatabase

    /// Creates the application `name`; throws ``WalletError/applicationNameTaken`` when the name is in use.
    public func create(name: ApplicationName, now: Date = Date()) async throws -> ClientApplication {
        let createdAt = now.atMicrosecondPrecision
        let application = ClientApplication(id: .generate(at: createdAt), name: name, createdAt: createdAt)
        do {
            try await database.withTransaction(.repeatableRead) { connection in
                try connection.execute(SQL.insertPrincipal, [.string(application.id.rawValue), .date(createdAt)])
                try connection.execute(SQL.insert, [.string(application.id.rawValue), .string(name.rawValue), .date(createdAt)])
            }
        } catch WalletError.databaseFailure(let error) where error.kind == .duplicateKey {
            // A new random id does not collide in practice; the name's unique key does.
            throw WalletError.applicationNameTaken
        }
        return application
    }

    /// The application named `name`; throws ``WalletError/applicationNotFound`` when there is none.
    public func application(named name: ApplicationName) async throws -> ClientApplication {
        let application = try await database.withConnection { connection in
            try connection.execute(SQL.selectByName, [.string(name.rawValue)]).first.map(Self.application(from:))
        }
        guard let application else { throw WalletError.applicationNotFound }
        return application
    }

    /// Every application by name, at most ``maximumListed``.
    public func list() async throws -> [ClientApplication] {
        try await database.withConnection { connection in
            try connection.execute(SQL.selectAll, [.int(Int64(Self.maximumListed))]).rows.map(Self.application(from:))
        }
    }

    private static func application(from row: MariaDBRow) throws -> ClientApplication {
        ClientApplication(
            id: try row.identifier(ApplicationID.self, "id"),
            name: try row.decode("name", as: "an application name") { (text: String) in ApplicationName(text) },
            createdAt: try row.decode(Date.self, "created_at")
        )
    }
}
