import Foundation
import WalletMigrations

/// A temporary migrations folder of a test's own (never the repository's `migrations/`).
struct MigrationFolder: Sendable {
    let path: String

    /// Creates an empty folder under the temporary directory.
    init() throws {
        path = NSTemporaryDirectory() + "wallet-migrations-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// A folder holding the ``Fixture/standard`` migrations.
    static func standard() throws -> MigrationFolder {
        let folder = try MigrationFolder()
        try folder.add(Fixture.standard)
        return folder
    }

    /// Writes `contents` to `fileName` in the folder, replacing any file of that name.
    func write(_ fileName: String, _ contents: String) throws {
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path + "/" + fileName))
    }

    /// Writes the up and down files of each migration.
    func add(_ migrations: [Fixture.Migration]) throws {
        for migration in migrations {
            try write("\(migration.identifier).up.sql", migration.up)
            try write("\(migration.identifier).down.sql", migration.down)
        }
    }

    /// Deletes one file.
    func remove(_ fileName: String) throws {
        try FileManager.default.removeItem(atPath: path + "/" + fileName)
    }

    /// The folder's migrations, loaded.
    func load() throws -> MigrationDirectory {
        try MigrationDirectory.load(path)
    }

    /// The names of the files in the folder, sorted.
    func fileNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    /// Deletes the folder and everything in it.
    func delete() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Migration files used across the tests.
enum Fixture {
    /// One migration's files.
    struct Migration: Sendable {
        var identifier: String
        var up: String
        var down: String
    }

    /// Three migrations: tables `accounts`, `wallets` and `audit_log`, with comments and `;` inside literals.
    static let standard: [Migration] = [
        Migration(
            identifier: "0001_accounts",
            up: """
                -- The accounts; a comment with a ; in it.
                CREATE TABLE accounts (
                    id BIGINT PRIMARY KEY,
                    note VARCHAR(100) NOT NULL -- trailing comment; still the same statement
                ) ENGINE=InnoDB;
                /* seed rows; note the quotes */
                INSERT INTO accounts (id, note) VALUES (1, 'semi;colon'), (2, 'it''s; \\'quoted\\'');
                """,
            down: "DROP TABLE accounts;\n"
        ),
        Migration(
            identifier: "0002_wallets",
            up: """
                # hash comment
                CREATE TABLE wallets (id BIGINT PRIMARY KEY, `odd;name` INT NULL) ENGINE=InnoDB;
                """,
            down: "DROP TABLE wallets"
        ),
        Migration(
            identifier: "0003_audit_log",
            up: "CREATE TABLE audit_log (id BIGINT PRIMARY KEY) ENGINE=InnoDB;\nCREATE INDEX audit_log_id ON audit_log (id);\n",
            down: "DROP TABLE audit_log;\n"
        ),
    ]
}
