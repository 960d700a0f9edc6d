public import ArgumentParser
import Foundation
public import MariaDB

/// Where the database is: `--database-url`, else `WALLET_DATABASE_URL`; the password may instead come from a file
/// (`--database-password-file`, else `WALLET_DATABASE_PASSWORD_FILE`), as container secrets are mounted.
public struct DatabaseOptions: ParsableArguments {
    /// The environment variable read when `--database-url` is absent.
    public static let urlEnvironmentVariable = "WALLET_DATABASE_URL"
    /// The environment variable read when `--database-password-file` is absent.
    public static let passwordFileEnvironmentVariable = "WALLET_DATABASE_PASSWORD_FILE"
    /// The largest password file read.
    static let maximumPasswordFileBytes = 4096

    @Option(
        name: .customLong("database-url"),
        help: ArgumentHelp(
            "MariaDB URL: mariadb://user:password@host:port/database[?socket=/path]. Default: $WALLET_DATABASE_URL.",
            valueName: "url"
        )
    )
    var databaseURL: String?

    @Option(
        name: .customLong("database-password-file"),
        help: ArgumentHelp(
            "A file holding the database password (one line; it replaces any password in the URL). Default: $WALLET_DATABASE_PASSWORD_FILE.",
            valueName: "path"
        )
    )
    var databasePasswordFile: String?

    public init() {}

    /// The parsed configuration; a missing or malformed URL is a usage error.
    public func configuration() throws -> MariaDBConfiguration {
        guard let url = databaseURL ?? ProcessInfo.processInfo.environment[Self.urlEnvironmentVariable], !url.isEmpty else {
            throw ValidationError("no database: pass --database-url or set \(Self.urlEnvironmentVariable)")
        }
        var configuration: MariaDBConfiguration
        do {
            configuration = try MariaDBConfiguration(url: url)
        } catch {
            throw ValidationError(error.description)
        }
        let environment = ProcessInfo.processInfo.environment
        if let path = databasePasswordFile ?? environment[Self.passwordFileEnvironmentVariable], !path.isEmpty {
            configuration.password = try Self.password(fromFile: path)
        }
        return configuration
    }

    /// The first line of `path`, without its line ending.
    static func password(fromFile path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read the database password file \(path)")
        }
        guard data.count <= maximumPasswordFileBytes, let text = String(data: data, encoding: .utf8) else {
            throw ValidationError("the database password file \(path) is not a short UTF-8 text")
        }
        let line = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return String(line.hasSuffix("\r") ? line.dropLast() : line)
    }
}
