#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MariaDB
import Testing
import TestSupport

/// A client that starts a request and stalls is cut off after the idle timeout, and holds no database connection
/// while it stalls.
@Suite("wallet serve and slow clients")
struct SlowClientTests {
    static let idleTimeoutSeconds = 1
    /// How long the test waits for the service to close the stalled connection.
    static let closeWithinSeconds = 5.0
    /// How often `/metrics` is read, 100 ms apart, until it shows no connection in use.
    static let metricsReads = 20
    static let noConnectionInUse = #"wallet_db_pool_connections{state="in_use"} 0"#
    static let migrationsFolder = PrivateMariaDBServer.repositoryRoot + "/migrations"
    static let openAPIFile = PrivateMariaDBServer.repositoryRoot + "/openapi.yaml"

    @Test func aStalledRequestIsClosedAfterTheIdleTimeoutWithoutAConnection() async throws {
        try await TestDatabase.withScratchDatabase { database in
            let databaseURL = "mariadb://\(database.user):\(database.password)@\(database.host):\(database.port)/\(database.database)"
            let migrate = try await offload {
                try ChildProcess.run(
                    WalletExecutable.path, ["migrate", "up", "--database-url", databaseURL, "--migrations-dir", Self.migrationsFolder])
            }
            try #require(migrate.status == 0, "\(migrate.output)")
            let port = WalletExecutable.freeLoopbackPort()
            let server = try BackgroundProcess(
                WalletExecutable.path,
                [
                    "serve", "--port", String(port), "--database-url", databaseURL, "--migrations-dir", Self.migrationsFolder,
                    "--openapi-file", Self.openAPIFile, "--idle-timeout", String(Self.idleTimeoutSeconds),
                ]
            )
            let base = "http://127.0.0.1:\(port)"
            try #require(await HTTPProbe.waitFor(base + "/readyz", status: 200, timeoutSeconds: 20), "\(server.output)")

            let started = Date()
            let closed = try await offload { () -> Bool in
                let socket = try StalledClient(port: port)
                socket.send("POST /v1/users HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"em")
                return socket.waitForClose(timeoutSeconds: Self.closeWithinSeconds)
            }
            let seconds = Date().timeIntervalSince(started)
            #expect(closed, "the stalled connection stayed open")
            #expect(seconds >= Double(Self.idleTimeoutSeconds) * 0.9, "closed before the idle timeout: \(seconds) s")

            // No connection is left in use. The service's sweepers take one for a moment now and then, so a scrape
            // may catch one of them: read again, a bounded number of times; a leaked connection stays in use.
            var metrics = ""
            for _ in 0..<Self.metricsReads {
                metrics = String(decoding: await HTTPProbe.send("GET", base + "/metrics")?.body ?? Data(), as: UTF8.self)
                if metrics.contains(Self.noConnectionInUse) { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(metrics.contains(Self.noConnectionInUse), "\(metrics)")
            server.signal(SIGTERM)
            #expect(try await offload { server.waitForExit(timeoutSeconds: 15) } == 0, "\(server.output)")
        }
    }
}

/// A raw TCP client that sends part of a request and then says nothing.
private final class StalledClient {
    let descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw StalledClientError.cannotConnect }
    }

    deinit { close(descriptor) }

    func send(_ text: String) {
        _ = text.withCString { Glibc.send(descriptor, $0, strlen($0), 0) }
    }

    /// True when the peer closes the connection (or resets it) within `timeoutSeconds`. Blocks.
    func waitForClose(timeoutSeconds: Double) -> Bool {
        var timeout = timeval(tv_sec: Int(timeoutSeconds), tv_usec: Int(timeoutSeconds.truncatingRemainder(dividingBy: 1) * 1_000_000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while Date() < deadline {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count == 0 { return true }
            if count < 0 { return errno == ECONNRESET }
            // An answer (such as 408) may come first; the close follows.
        }
        return false
    }
}

private enum StalledClientError: Error {
    case cannotConnect
}
