import Foundation
import MariaDB
import Testing
import TestSupport

/// `wallet apps` and `wallet api-keys` as an operator runs them, against `wallet serve` as a process: the first key
/// comes from the shell, works over HTTP, is listed without its secret, and stops working the moment it is revoked.
@Suite("wallet apps and api-keys, run as processes")
struct APIKeysCommandTests {
    static let migrations = PrivateMariaDBServer.repositoryRoot + "/migrations"
    static let openAPIFile = PrivateMariaDBServer.repositoryRoot + "/openapi.yaml"

    private func url(_ configuration: MariaDBConfiguration) -> String {
        "mariadb://\(configuration.user):\(configuration.password)@\(configuration.host):\(configuration.port)/\(configuration.database)"
    }

    private func wallet(_ arguments: [String], _ url: String) async throws -> ChildProcess.Outcome {
        try await offload { try ChildProcess.run(WalletExecutable.path, arguments + ["--database-url", url]) }
    }

    @Test func anOperatorIssuesListsAndRevokesKeys() async throws {
        try await TestDatabase.withScratchDatabase { database in
            let url = url(database)
            #expect(try await wallet(["migrate", "up", "--migrations-dir", Self.migrations], url).status == 0)

            let created = try await wallet(["apps", "create", "--name", "billing"], url)
            #expect(created.status == 0 && created.output.contains("app_") && created.output.contains("billing"), "\(created.output)")
            let again = try await wallet(["apps", "create", "--name", "billing"], url)
            #expect(again.status == 1 && again.output.contains("exists already"), "\(again.output)")
            #expect(try await wallet(["apps", "create", "--name", "Not Valid"], url).status == 2)
            #expect(try await wallet(["apps", "list"], url).output.contains("billing"))

            let issued = try await wallet(["api-keys", "create", "--app", "billing", "--scopes", "wallets:read,wallets:write", "--expires-in", "90d"], url)
            #expect(issued.status == 0, "\(issued.output)")
            let secret = try #require(Self.field("secret", in: issued.output))
            let id = try #require(Self.field("id", in: issued.output))
            #expect(secret.hasPrefix("wk_") && id.hasPrefix("key_"))
            #expect(try await wallet(["api-keys", "create", "--app", "nobody", "--scopes", "wallets:read"], url).status == 1)
            #expect(try await wallet(["api-keys", "create", "--app", "billing", "--scopes", "wallets:fly"], url).status == 2)
            #expect(try await wallet(["api-keys", "create", "--app", "billing", "--scopes", "wallets:read", "--expires-in", "soon"], url).status == 2)

            let port = WalletExecutable.freeLoopbackPort()
            let server = try BackgroundProcess(
                WalletExecutable.path,
                ["serve", "--port", String(port), "--database-url", url, "--migrations-dir", Self.migrations, "--openapi-file", Self.openAPIFile]
            )
            defer {
                server.signal(SIGTERM)
                _ = server.waitForExit(timeoutSeconds: 15)
            }
            let base = "http://127.0.0.1:\(port)"
            #expect(await HTTPProbe.waitFor(base + "/readyz", status: 200, timeoutSeconds: 20), "\(server.output)")
            let headers = ["Authorization": "Bearer \(secret)", "Content-Type": "application/json"]
            let opened = await HTTPProbe.send("POST", base + "/v1/wallets", body: Data(#"{"currency":"EUR","owner_ref":"cus_42"}"#.utf8), headers: headers)
            #expect(opened?.status == 201, "\(String(decoding: opened?.body ?? Data(), as: UTF8.self))")
            let moved = await HTTPProbe.send("POST", base + "/v1/transfers", body: Data("{}".utf8), headers: headers.merging(["Idempotency-Key": "k"]) { $1 })
            #expect(moved?.status == 403, "the key lacks movements:write")

            let listed = try await wallet(["api-keys", "list", "--app", "billing"], url)
            #expect(listed.status == 0 && listed.output.contains(id) && listed.output.contains(String(secret.prefix(11))), "\(listed.output)")
            #expect(!listed.output.contains(secret), "the list never shows a secret")
            #expect(listed.output.contains("live"))

            let revoked = try await wallet(["api-keys", "revoke", id], url)
            #expect(revoked.status == 0, "\(revoked.output)")
            let refused = await HTTPProbe.send("GET", base + "/v1/wallets", headers: headers)
            #expect(refused?.status == 401, "a revoked key stops working at once")
            #expect(try await wallet(["api-keys", "list"], url).output.contains("revoked"))
            #expect(try await wallet(["api-keys", "revoke", "key_00000000000000000000000000"], url).status == 1)
        }
    }

    /// The value after `name:` on a line of `output`.
    static func field(_ name: String, in output: String) -> String? {
        output.split(separator: "\n").first { $0.hasPrefix(name + ":") }
            .map { $0.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces) }
    }
}
