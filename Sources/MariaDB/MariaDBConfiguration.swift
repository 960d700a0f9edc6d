import Foundation

/// Where and how to connect to MariaDB.
///
/// Built from a URL: `mariadb://user:password@host:port/database`, or over a unix socket with
/// `mariadb://user:password@localhost/database?socket=/path/to/mysqld.sock`. Query options:
/// `socket`, `connect_timeout`, `read_timeout` and `write_timeout` (whole seconds).
///
/// The URL may list several servers, the nodes of a cluster: `mariadb://user:password@h1:3311,h2:3312,h3:3313/db`.
/// A connection goes to the first of ``endpoints`` that answers and, when it is a Galera node, is ready and
/// `Synced` (``MariaDBConnection/connect(_:startingAt:)``).
public struct MariaDBConfiguration: Sendable, Equatable {
    /// One server of a URL's host list.
    public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
        public var host: String
        public var port: Int

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }

        public var description: String { "\(host):\(port)" }
    }

    /// The most servers a URL may list.
    public static let maximumEndpoints = 16

    /// The default TCP port.
    public static let defaultPort = 3306
    /// The default limit on establishing a connection.
    public static let defaultConnectTimeoutSeconds: UInt32 = 5
    /// The default limit on one read from the server; a query that waits longer fails with a connection error.
    public static let defaultReadTimeoutSeconds: UInt32 = 30
    /// The default limit on one write to the server.
    public static let defaultWriteTimeoutSeconds: UInt32 = 30

    /// The first server.
    public var host: String
    public var port: Int
    /// The servers listed after the first, tried in order when it does not answer or is not ready.
    public var otherEndpoints: [Endpoint]
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
        otherEndpoints: [Endpoint] = [],
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
        self.otherEndpoints = otherEndpoints
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
        let (firstHostURL, otherEndpoints) = try Self.splittingHostList(string)
        guard let components = URLComponents(string: firstHostURL) else {
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
        if socket != nil, !otherEndpoints.isEmpty {
            throw MariaDBConfigurationError("a unix socket names one server: no host list with ?socket=")
        }
        self.init(
            host: host,
            port: components.port ?? Self.defaultPort,
            otherEndpoints: otherEndpoints,
            unixSocketPath: socket,
            user: user,
            password: components.password ?? "",
            database: database,
            connectTimeoutSeconds: timeouts["connect_timeout"] ?? Self.defaultConnectTimeoutSeconds,
            readTimeoutSeconds: timeouts["read_timeout"] ?? Self.defaultReadTimeoutSeconds,
            writeTimeoutSeconds: timeouts["write_timeout"] ?? Self.defaultWriteTimeoutSeconds
        )
    }

    /// Every server, the first one first.
    public var endpoints: [Endpoint] { [Endpoint(host: host, port: port)] + otherEndpoints }

    /// Where the servers are, for messages: never includes the password.
    public var endpointDescription: String {
        if let unixSocketPath { return "\(user)@unix:\(unixSocketPath)/\(database)" }
        return "\(user)@\(endpoints.map(\.description).joined(separator: ","))/\(database)"
    }

    /// This configuration for `endpoint` alone.
    public func only(_ endpoint: Endpoint) -> MariaDBConfiguration {
        var single = self
        single.host = endpoint.host
        single.port = endpoint.port
        single.otherEndpoints = []
        return single
    }

    /// The URL with only the first host of its host list (which `URLComponents` can parse), and the others.
    private static func splittingHostList(_ url: String) throws(MariaDBConfigurationError) -> (String, [Endpoint]) {
        guard let schemeEnd = url.range(of: "://") else { return (url, []) }
        let authorityStart = schemeEnd.upperBound
        let authorityEnd = url[authorityStart...].firstIndex { $0 == "/" || $0 == "?" } ?? url.endIndex
        let authority = url[authorityStart..<authorityEnd]
        let hostsStart = authority.lastIndex(of: "@").map { authority.index(after: $0) } ?? authority.startIndex
        let hosts = authority[hostsStart...].split(separator: ",", omittingEmptySubsequences: false)
        guard hosts.count > 1 else { return (url, []) }
        guard hosts.count <= maximumEndpoints else {
            throw MariaDBConfigurationError("at most \(maximumEndpoints) servers in a host list")
        }
        var others: [Endpoint] = []
        for entry in hosts.dropFirst() {
            let parts = entry.split(separator: ":", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" })
            else { throw MariaDBConfigurationError("'\(entry)' in the host list is not host or host:port") }
            let port = parts.count == 2 ? Int(parts[1]) : defaultPort
            guard let port, (1...65535).contains(port) else {
                throw MariaDBConfigurationError("'\(entry)' in the host list has no valid port")
            }
            others.append(Endpoint(host: String(parts[0]), port: port))
        }
        return (String(url[..<hostsStart]) + hosts[0] + url[authorityEnd...], others)
    }
}

/// A configuration that cannot be used, with the reason.
public struct MariaDBConfigurationError: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "invalid database URL: \(reason)" }
}
