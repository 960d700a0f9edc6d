import CMariaDB

/// An error from MariaDB or from this client, classified so that callers can switch on ``Kind``.
///
/// Server errors keep the server's error number, SQLSTATE and message.
public struct MariaDBError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, in the terms a caller decides on.
    public enum Kind: Sendable, Hashable {
        /// A unique or primary key already holds the value (1062).
        case duplicateKey
        /// InnoDB chose this transaction as a deadlock victim (1213); the transaction was rolled back.
        case deadlock
        /// A row lock was not granted in `innodb_lock_wait_timeout` (1205). The server rolled back the statement, or
        /// with `innodb_rollback_on_timeout=ON` the whole transaction: either way, roll back and never go on in it.
        case lockWaitTimeout
        /// The statement ran or waited longer than the session's `max_statement_time` and was interrupted (1969);
        /// only the statement was rolled back.
        case statementTimeout
        /// The record changed since it was read, under snapshot isolation (1020).
        case recordChanged
        /// The connection could not be made, was lost or was killed (2002, 2003, 2006, 2013, 1927, …), or its Galera
        /// node left the primary component (1047, and 1180 at COMMIT), or a call failed without an error number.
        case connection
        /// No pooled connection became free within the pool's acquire timeout.
        case acquireTimeout
        /// The pool was shut down.
        case poolClosed
        /// A row value could not be decoded as the requested type.
        case decoding
        /// Any other error reported by the server.
        case server
        /// Any other error reported by the client library.
        case client
    }

    /// The classification.
    public let kind: Kind
    /// The MariaDB error number (`ER_*` or `CR_*`), or 0 for errors raised by this client.
    public let number: UInt32
    /// The five-character SQLSTATE, or `HY000` when there is none.
    public let sqlState: String
    /// The human-readable message.
    public let message: String

    public init(kind: Kind, number: UInt32 = 0, sqlState: String = "HY000", message: String) {
        self.kind = kind
        self.number = number
        self.sqlState = sqlState
        self.message = message
    }

    /// Builds an error from a server or client error number, classifying it.
    ///
    /// A call that failed with no error number (seen once from Connector/C while a killed Galera node rejoined)
    /// leaves the connection in a state nobody knows: it counts as a lost connection, never to be reused.
    public init(number: UInt32, sqlState: String, message: String) {
        guard number != 0 else {
            self.init(
                kind: .connection, sqlState: sqlState,
                message: message.isEmpty ? "the client library reported a failure without an error; the connection's state is unknown" : message)
            return
        }
        self.init(kind: Self.classify(number), number: number, sqlState: sqlState, message: message)
    }

    /// True for a conflict between concurrent transactions that a retry in a new transaction may resolve.
    public var isTransientConflict: Bool {
        switch kind {
        case .deadlock, .lockWaitTimeout, .recordChanged: true
        default: false
        }
    }

    /// True when the connection that raised this error can no longer be used.
    public var isConnectionBroken: Bool { kind == .connection }

    public var description: String {
        number == 0 ? "MariaDB client: \(message)" : "MariaDB error \(number) (\(sqlState)): \(message)"
    }

    /// Maps an error number to its ``Kind``.
    static func classify(_ number: UInt32) -> Kind {
        switch number {
        case UInt32(ER_DUP_ENTRY), UInt32(ER_DUP_KEY), UInt32(ER_DUP_UNIQUE): .duplicateKey
        case UInt32(ER_LOCK_DEADLOCK): .deadlock
        case UInt32(ER_LOCK_WAIT_TIMEOUT): .lockWaitTimeout
        case UInt32(ER_STATEMENT_TIMEOUT): .statementTimeout
        case UInt32(ER_CHECKREAD): .recordChanged
        case connectionErrorNumbers: .connection
        case UInt32(CR_MIN_ERROR)...UInt32(CR_MAX_ERROR): .client
        default: .server
        }
    }

    /// Client and server errors after which the connection is gone.
    private static let connectionErrorNumbers: Set<UInt32> = [
        UInt32(CR_CONNECTION_ERROR),  // 2002: socket connect refused
        UInt32(CR_CONN_HOST_ERROR),  // 2003: TCP connect refused
        UInt32(CR_UNKNOWN_HOST),  // 2005
        UInt32(CR_SERVER_GONE_ERROR),  // 2006
        UInt32(CR_SERVER_LOST),  // 2013
        UInt32(CR_COMMANDS_OUT_OF_SYNC),  // 2014: protocol state lost
        UInt32(CR_SERVER_LOST_EXTENDED),  // 2055
        UInt32(CR_ERR_NET_READ),  // 5013
        UInt32(CR_ERR_NET_WRITE),  // 5014
        UInt32(ER_CONNECTION_KILLED),  // 1927
        UInt32(ER_SERVER_SHUTDOWN),  // 1053
        UInt32(ER_NEW_ABORTING_CONNECTION),  // 1184
        UInt32(ER_CON_COUNT_ERROR),  // 1040: too many connections
        // 1047 on a Galera node outside the primary component ("WSREP has not yet prepared node for application
        // use"): nothing can commit there, so the connection is dropped and the next one goes to a node that can.
        UInt32(ER_UNKNOWN_COM_ERROR),
        // 1180 at COMMIT on a Galera node that lost the primary component ("Error while appending streaming
        // replication fragment (provider status: Not connected to Primary Component)"): the transaction was not
        // replicated, so it did not commit; the node can commit nothing more until it is back in the primary component.
        UInt32(ER_ERROR_DURING_COMMIT),
    ]
}

extension Set where Element == UInt32 {
    /// Lets a set of error numbers be a `case` pattern.
    static func ~= (set: Set<UInt32>, value: UInt32) -> Bool { set.contains(value) }
}
