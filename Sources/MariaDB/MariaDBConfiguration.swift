import Foundation

/// Where and how to connect to MariaDB.
///
/// Built from a URL: `mariadb://user:password@host:port/database`, or over a unix socket with
/// `mariadb://user:password@localhost/database?socket=/path/to/mysqld.sock`. Query options:
/// `socket`, `connect_timeout`, `read_timeout` and `write_timeout` (whole seconds).
public struct MariaDBConfiguration: Sendable, Equatable {
    /// The default TCP port.
    public static let defaultPort = 3306
    /// The default limit on establishing a connection.
    public static let defaultConnectTimeoutSeconds: UInt32 = 5
    /// The default limit on one read from the server; a query that waits longer fails with a connection error.
    public static let defaultReadTimeoutSeconds: UInt32 = 30
    /// The default limit on one write to the server.
    public static let defaultWriteTimeoutSeconds: UInt32 = 30

    public var host: String
    public var port: Int
    /// A unix socket path; when set, it is used instead of host and port.
    public var unixSocketPath: String?
    public var user: String
    public var password: String
    public var database: String
    public var connectTimeoutSeconds: UInt32
    public var readTimeoutSeconds: UInt32
    public var writeTimeoutSeconds: UInt32

    public init(
        host: String = "127.0.0.1",
        port: Int = Self.defaultPort,
        unixSocketPath: String? = nil,
        user: String,
        password: String,
        database: String,
        connectTimeoutSeconds: UInt32 = Self.defaultConnectTimeoutSeconds,
        readTimeoutSeconds: UInt32 = Self.defaultReadTimeoutSeconds,
        writeTimeoutSeconds: UInt32 = Self.defaultWriteTimeoutSeconds
    ) {
        self.host = host
        self.port = port
        self.unixSocketPath = unixSocketPath
        self.user = user
        self.password = password
        self.database = database
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.readTimeoutSeconds = readTimeoutSeconds
        self.writeTimeoutSeconds = writeTimeoutSeconds
    }

    /// Parses a `mariadb://` (or `mysql://`) URL.
    public init(url string: String) throws(MariaDBConfigurationError) {
        guard let components = URLComponents(string: string) else {
            throw MariaDBConfigurationError("not a URL; expected mariadb://user:password@host:port/database")
        }
        guard let scheme = components.scheme?.lowercased(), scheme == "mariadb" || scheme == "mysql" else {
            throw MariaDBConfigurationError("the scheme must be mariadb:// (or mysql://)")
        }
        guard let user = components.user, !user.isEmpty else {
            throw MariaDBConfigurationError("the URL names no user")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw MariaDBConfigurationError("the URL must name one database, as in mariadb://user:password@host:port/database")
        }
        var socket: String?
        var timeouts: [String: UInt32] = [:]
        for item in components.queryItems ?? [] {
            switch item.name {
            case "socket":
                guard let value = item.value, value.hasPrefix("/") else {
                    throw MariaDBConfigurationError("socket must be an absolute path")
                }
                socket = value
            case "connect_timeout", "read_timeout", "write_timeout":
                guard let value = item.value.flatMap(UInt32.init), value > 0 else {
                    throw MariaDBConfigurationError("\(item.name) must be a whole number of seconds above 0")
                }
                timeouts[item.name] = value
            default:
                throw MariaDBConfigurationError("unknown URL option '\(item.name)'")
            }
        }
        let host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        if socket == nil, components.host?.isEmpty ?? true {
            throw MariaDBConfigurationError("the URL names no host (or ?socket=/path)")
        }
        if let port = components.port, !(1...65535).contains(port) {
            throw MariaDBConfigurationError("port \(port) is out of range")
        }
        self.init(
            host: host,
            port: components.port ?? Self.defaultPort,
            unixSocketPath: socket,
            user: user,
            password: components.password ?? "",
            database: database,
            connectTimeoutSeconds: timeouts["connect_timeout"] ?? Self.defaultConnectTimeoutSeconds,
            readTimeoutSeconds: timeouts["read_timeout"] ?? Self.defaultReadTimeoutSeconds,
            writeTimeoutSeconds: timeouts["write_timeout"] ?? Self.defaultWriteTimeoutSeconds
        )
    }

    /// Where the server is, for messages: never includes the password.
    public var endpointDescription: String {
        if let unixSocketPath { return "\(user)@unix:\(unixSocketPath)/\(database)" }
        return "\(user)@\(host):\(port)/\(database)"
    }
}

/// A configuration that cannot be used, with the reason.
public struct MariaDBConfigurationError: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "invalid database URL: \(reason)" }
}
