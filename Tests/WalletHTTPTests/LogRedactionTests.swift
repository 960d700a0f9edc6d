import Foundation
import HTTPTypes
import Logging
import Synchronization
import Testing
import WalletCore

/// The request log line carries what operators need, and no password, token or `Authorization` value ever reaches
/// the logs, even at `trace`.
@Suite("Request logs")
struct LogRedactionTests {
    /// Keeps every line logged through it, rendered with its metadata.
    final class CapturedLogs: Sendable {
        let lines = Mutex<[String]>([])

        func handler(label: String) -> some LogHandler { Handler(label: label, logs: self) }

        struct Handler: LogHandler {
            let label: String
            let logs: CapturedLogs
            var metadata: Logger.Metadata = [:]
            var logLevel: Logger.Level = .trace
            subscript(metadataKey key: String) -> Logger.Metadata.Value? {
                get { metadata[key] }
                set { metadata[key] = newValue }
            }
            func log(event: LogEvent) {
                let fields = metadata.merging(event.metadata ?? [:]) { $1 }
                let rendered = fields.keys.sorted().map { "\($0)=\(fields[$0]!)" }.joined(separator: " ")
                logs.lines.withLock { $0.append("\(event.level) \(event.message) \(rendered)") }
            }
        }
    }

    @Test func oneLinePerRequestWithItsFieldsAndNoSecrets() async throws {
        let logs = CapturedLogs()
        var logger = Logger(label: "redaction-test") { logs.handler(label: $0) }
        logger.logLevel = .trace
        let password = "Sup3r-secret-passw0rd"
        try await APIHarness.run(logger: logger) { api in
            let credentials = #"{"email":"quiet@example.com","password":"\#(password)"}"#
            #expect(try await api.send(.post, "/v1/users", json: credentials).status == .created)
            let token = try #require(try await api.send(.post, "/v1/sessions", json: credentials).string("token"))
            _ = try await api.send(.post, "/v1/sessions", json: #"{"email":"quiet@example.com","password":"wrong-\#(password)"}"#)
            let wallet = try await api.wallet(token)
            #expect(try await api.deposit(token, wallet, 250, key: "redaction-key").status == .created)
            #expect(try await api.deposit(token, wallet, 250, key: "redaction-key").status == .created)
            _ = try await api.send(.get, "/v1/wallets", headers: [.authorization: "Bearer not-a-real-token-\(token.prefix(6))"])
            let key = try await api.apiKey(for: try await api.application())
            let appsWallet = try await api.wallet(key)
            #expect(try await api.deposit(key, appsWallet, 100).status == .created)

            let lines = logs.lines.withLock { $0 }
            let requests = lines.filter { $0.contains(" request ") }
            #expect(requests.count >= 7, "\(lines)")
            let deposit = requests.filter { $0.contains("route=/v1/wallets/{id}/deposits") && $0.contains("user_id=") }
            #expect(deposit.count == 2)
            #expect(deposit.first?.contains("status=201") == true)
            #expect(deposit.first?.contains("attempts=1") == true)
            #expect(deposit.first?.contains("outcome=committed") == true)
            #expect(deposit.last?.contains("outcome=replayed") == true)
            #expect(deposit.allSatisfy { $0.contains("user_id=usr_") && $0.contains("request_id=") && $0.contains("duration_ms=") }, "\(deposit)")
            #expect(requests.contains { $0.contains("route=/v1/sessions") && $0.contains("status=401") })
            let appsDeposit = requests.filter { $0.contains("route=/v1/wallets/{id}/deposits") && $0.contains("application_id=app_") }
            #expect(appsDeposit.count == 1 && appsDeposit[0].contains("api_key_id=key_"), "an application's request names it and its key: \(requests)")

            for line in lines {
                #expect(!line.contains(password), "a password was logged: \(line)")
                #expect(!line.contains(token), "a token was logged: \(line)")
                #expect(!line.contains(String(token.prefix(12))), "part of a token was logged: \(line)")
                #expect(!line.lowercased().contains("bearer"), "an Authorization value was logged: \(line)")
                #expect(!line.contains(String(key.prefix(APIKey.displayPrefixLength + 4))), "part of an API key's secret was logged: \(line)")
            }
        }
    }
}
