import MariaDB
import Testing

/// What a server or client error number means to a caller: above all, which errors end the connection, so that the
/// pool drops it and the next one goes to a server (on a cluster, a node) that can serve.
@Suite("MariaDBError classification")
struct ErrorClassificationTests {
    @Test(arguments: [
        (UInt32(1062), MariaDBError.Kind.duplicateKey),
        (1213, .deadlock),
        (1205, .lockWaitTimeout),
        (1020, .recordChanged),
        (1969, .statementTimeout),
        (2013, .connection),
        (1927, .connection),
        (1146, .server),
    ])
    func numbersHaveTheirKinds(number: UInt32, kind: MariaDBError.Kind) {
        #expect(MariaDBError(number: number, sqlState: "HY000", message: "m").kind == kind)
    }

    /// A Galera node outside the primary component answers 1047 to statements and 1180 at COMMIT: nothing can commit
    /// on it, so the connection is given up like a lost one.
    @Test func aNodeOutsideThePrimaryComponentEndsTheConnection() {
        let refused = MariaDBError(number: 1047, sqlState: "08S01", message: "WSREP has not yet prepared node for application use")
        let commit = MariaDBError(
            number: 1180, sqlState: "HY000",
            message: "Error while appending streaming replication fragment(provider status: Not connected to Primary Component)")
        #expect(refused.kind == .connection && refused.isConnectionBroken)
        #expect(commit.kind == .connection && commit.isConnectionBroken)
        #expect(!commit.isTransientConflict, "a movement is not retried on a node that cannot commit; the client resends its key")
    }

    /// A failure that the library reported without an error number leaves the connection in an unknown state.
    @Test func aFailureWithoutAnErrorNumberEndsTheConnection() {
        let error = MariaDBError(number: 0, sqlState: "HY000", message: "")
        #expect(error.kind == .connection && error.isConnectionBroken)
        #expect(!error.message.isEmpty)
    }
}
