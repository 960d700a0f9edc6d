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

    @Test func parsesAHostList() throws {
        let configuration = try MariaDBConfiguration(url: "mariadb://u:p%2Cw@10.0.0.1:3311,node-2.example:3312,node3/ledger?read_timeout=4")
        #expect(configuration.host == "10.0.0.1" && configuration.port == 3311)
        #expect(configuration.otherEndpoints == [.init(host: "node-2.example", port: 3312), .init(host: "node3", port: MariaDBConfiguration.defaultPort)])
        #expect(configuration.endpoints.map(\.description) == ["10.0.0.1:3311", "node-2.example:3312", "node3:3306"])
        #expect(configuration.password == "p,w" && configuration.database == "ledger" && configuration.readTimeoutSeconds == 4)
        #expect(configuration.endpointDescription == "u@10.0.0.1:3311,node-2.example:3312,node3:3306/ledger")
        let second = configuration.only(configuration.endpoints[1])
        #expect(second.host == "node-2.example" && second.port == 3312 && second.otherEndpoints.isEmpty && second.readTimeoutSeconds == 4)
    }

    @Test(arguments: [
        "mariadb://u:p@h1:3311,/db",
        "mariadb://u:p@h1:3311,h2:0/db",
        "mariadb://u:p@h1:3311,h2:x/db",
        "mariadb://u:p@h1:3311,h 2/db",
        "mariadb://u:p@localhost,h2/db?socket=/run/mysqld/mysqld.sock",
        "mariadb://u:p@" + (1...17).map { "h\($0)" }.joined(separator: ",") + "/db",
    ])
    func rejectsBadHostLists(url: String) {
        #expect(throws: MariaDBConfigurationError.self) { try MariaDBConfiguration(url: url) }
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
