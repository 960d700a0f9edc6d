import MariaDB
import Testing
@testable import WalletCore

/// The start-up check of the server settings that money depends on.
@Suite("Server safety settings")
struct ServerSafetySettingsTests {
    static let safeNode = ServerSafetySettings(wsrepOn: true, binlogFormat: "ROW", innodbFlushLogAtTrxCommit: 1, innodbAutoincLockMode: 2)

    @Test func aSafeNodeAndASafeServerHaveNoWarnings() {
        #expect(Self.safeNode.warnings.isEmpty)
        // Binary log format and auto-increment locking matter to Galera only.
        #expect(ServerSafetySettings(wsrepOn: false, binlogFormat: "MIXED", innodbFlushLogAtTrxCommit: 1, innodbAutoincLockMode: 1).warnings.isEmpty)
    }

    @Test func eachUnsafeSettingIsNamed() {
        var node = Self.safeNode
        node.innodbFlushLogAtTrxCommit = 2
        node.binlogFormat = "STATEMENT"
        node.innodbAutoincLockMode = 1
        let warnings = node.warnings
        #expect(warnings.count == 3)
        #expect(warnings[0].hasPrefix("innodb_flush_log_at_trx_commit is 2, not 1") && warnings[0].contains("on a cluster"))
        #expect(warnings[1].hasPrefix("binlog_format is STATEMENT, not ROW"))
        #expect(warnings[2].hasPrefix("innodb_autoinc_lock_mode is 1, not 2"))
        let server = ServerSafetySettings(wsrepOn: false, binlogFormat: nil, innodbFlushLogAtTrxCommit: 0, innodbAutoincLockMode: nil)
        #expect(server.warnings == ["innodb_flush_log_at_trx_commit is 0, not 1: a movement answered 201 may be lost in a crash"])
    }

    /// The test server: no Galera node, durable commits.
    @Test func theSettingsAreReadFromTheServer() async throws {
        let settings = try await WalletTestContext.run { context in
            try await context.pool.withConnection { try ServerSafetySettings.read(on: $0) }
        }
        #expect(!settings.wsrepOn)
        #expect(settings.innodbFlushLogAtTrxCommit == 1)
        #expect(settings.binlogFormat != nil && settings.innodbAutoincLockMode != nil)
        #expect(settings.warnings.isEmpty)
    }
}
