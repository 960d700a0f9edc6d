import MariaDB
import Testing

@Suite("Database URLs")
struct ConfigurationTests {
    @Test func parsesAFullTCPURL() throws {
        let configuration = try MariaDBConfiguration(url: "mariadb://alice:s%40cret@db.example:3310/ledger?connect_timeout=2&read_timeout=7&write_timeout=9")
        #expect(configuration.user == "alice")
        #expect(configuration.password == "s@cret")
        #expect(configuration.host == "db.example")
        #expect(configuration.port == 3310)
        #expect(configuration.database == "ledger")
        #expect(configuration.unixSocketPath == nil)
        #expect(configuration.connectTimeoutSeconds == 2)
        #expect(configuration.readTimeoutSeconds == 7)
        #expect(configuration.writeTimeoutSeconds == 9)
        #expect(!configuration.endpointDescription.contains("cret"))
    }

    @Test func parsesAUnixSocketURLAndDefaults() throws {
        let configuration = try MariaDBConfiguration(url: "mariadb://bob@localhost/wallet?socket=/run/mysqld/mysqld.sock")
        #expect(configuration.unixSocketPath == "/run/mysqld/mysqld.sock")
        #expect(configuration.password == "")
        #expect(configuration.port == MariaDBConfiguration.defaultPort)
        #expect(configuration.connectTimeoutSeconds == MariaDBConfiguration.defaultConnectTimeoutSeconds)
    }

    @Test(arguments: [
        "postgres://u:p@h/db",
        "mariadb://h:3306/db",
        "mariadb://u:p@h:3306/",
        "mariadb://u:p@h:3306/a/b",
        "mariadb://u:p@h:3306/db?socket=relative",
        "mariadb://u:p@h:3306/db?read_timeout=0",
        "mariadb://u:p@h:3306/db?colour=blue",
        "mariadb://u:p@:3306/db",
        "not a url",
    ])
    func rejectsBadURLs(url: String) {
        #expect(throws: MariaDBConfigurationError.self) { try MariaDBConfiguration(url: url) }
    }
}
