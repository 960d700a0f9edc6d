import Foundation
import MariaDB

/// The `idempotency_keys` rows of money movements: claimed first in the movement's transaction, answered with the
/// stored response on a duplicate, completed with the response before the transaction commits.
enum IdempotencyRecords {
    /// The longest a claim waits for the row lock of a concurrent request with the same key before answering
    /// ``WalletError/idempotencyKeyInUse`` (the server's own `innodb_lock_wait_timeout` is much longer).
    static let claimLockWaitSeconds = 2

    /// Every SQL statement of a movement on `idempotency_keys`.
    enum SQL {
        static let claim = """
            SET STATEMENT innodb_lock_wait_timeout = \(claimLockWaitSeconds) FOR
            INSERT INTO idempotency_keys (principal_id, idempotency_key, fingerprint, request_fields, created_at) VALUES (?, ?, ?, ?, ?)
            """
        /// Claims many keys in one statement; when any of them is taken, none is (the statement rolls back alone).
        static let claimMany = MultiRowStatement(
            prefix: """
                SET STATEMENT innodb_lock_wait_timeout = \(claimLockWaitSeconds) FOR
                INSERT INTO idempotency_keys (principal_id, idempotency_key, fingerprint, request_fields, created_at) VALUES\u{20}
                """,
            row: "(?, ?, ?, ?, ?)"
        )
        /// A locking (current) read: it sees the committed row whatever the transaction's snapshot.
        static let selectClaimed = """
            SELECT fingerprint, request_fields, response_status, response_body FROM idempotency_keys
            WHERE principal_id = ? AND idempotency_key = ? LOCK IN SHARE MODE
            """
        /// Completes claimed rows with their responses, many at once: every row exists (this transaction claimed it),
        /// so each one is updated, which MariaDB counts as two affected rows.
        static let storeResponses = MultiRowStatement(
            prefix: """
                INSERT INTO idempotency_keys
                (principal_id, idempotency_key, fingerprint, request_fields, created_at, response_status, response_body) VALUES\u{20}
                """,
            row: "(?, ?, ?, ?, ?, ?, ?)",
            suffix: " ON DUPLICATE KEY UPDATE response_status = VALUE(response_status), response_body = VALUE(response_body)"
        )
    }

    /// The result of claiming a key.
    enum Claim {
        /// The key is this transaction's: run the movement.
        case claimed
        /// The key answered an identical request before: this is its response.
        case answered(StoredResponse)
    }

    /// Claims the keys of `commands` for this transaction, before any other work: each command's claim, or the
    /// error of its key (see ``claim(for:at:on:)``), in order.
    ///
    /// Keys are first claimed many per statement; a statement that meets a taken key claims nothing (a duplicate
    /// key rolls back the statement alone), and its commands then claim one by one, which sorts out which key
    /// answered before. A key whose row lock is not granted in time throws ``IdempotencyKeyBusy``: the lock wait
    /// timeout may have rolled back the whole transaction, earlier claims included, so nothing may go on in it.
    static func claim(_ commands: [MovementCommand], at now: Date, on connection: MariaDBConnection) throws -> [Result<Claim, WalletError>] {
        var claims: [Result<Claim, WalletError>] = []
        for chunk in MultiRowStatement.chunks(of: commands) {
            if chunk.count > 1, try claimAll(chunk, at: now, on: connection) {
                claims += Array(repeating: .success(.claimed), count: chunk.count)
                continue
            }
            for command in chunk {
                do {
                    claims.append(.success(try claim(for: command, at: now, on: connection)))
                } catch let error as WalletError {
                    claims.append(.failure(error))
                }
            }
        }
        return claims
    }

    /// Claims every key of `commands` in one statement; false, with nothing claimed, when a key is taken. Throws
    /// ``IdempotencyKeyBusy`` when a key's row lock was not granted in time.
    private static func claimAll(_ commands: ArraySlice<MovementCommand>, at now: Date, on connection: MariaDBConnection) throws -> Bool {
        let values = commands.flatMap { command -> [MariaDBValue] in
            [
                .string(command.principal.rawValue), .string(command.claimedKey.rawValue),
                .string(command.fingerprint.digest), .string(command.fingerprint.canonicalFields), .date(now),
            ]
        }
        do {
            try connection.execute(SQL.claimMany.text(rows: commands.count), values)
            return true
        } catch {
            switch error.kind {
            case .duplicateKey: return false
            case .lockWaitTimeout: throw IdempotencyKeyBusy()
            default: throw error
            }
        }
    }

    /// Claims the command's key for this transaction, before any other work.
    ///
    /// A concurrent transaction that holds the same key uncommitted makes the insert wait (up to
    /// ``claimLockWaitSeconds``) until it commits, which turns this into a replay, or rolls back, which hands the
    /// key over. Throws ``WalletError/idempotencyKeyReused(mismatchedFields:)`` for a key used with other fields,
    /// ``WalletError/idempotencyKeyInUse`` when the key has no response yet, and ``IdempotencyKeyBusy`` (the
    /// transaction is over) when it stays locked.
    static func claim(for command: MovementCommand, at now: Date, on connection: MariaDBConnection) throws -> Claim {
        let principal = MariaDBValue.string(command.principal.rawValue)
        let key = MariaDBValue.string(command.claimedKey.rawValue)
        do throws(MariaDBError) {
            try connection.execute(
                SQL.claim,
                [principal, key, .string(command.fingerprint.digest), .string(command.fingerprint.canonicalFields), .date(now)]
            )
            return .claimed
        } catch where error.kind == .lockWaitTimeout {
            throw IdempotencyKeyBusy()
        } catch where error.kind == .duplicateKey {
            guard let row = try connection.execute(SQL.selectClaimed, [principal, key]).first else {
                throw MovementConflict(reason: .idempotencyKeyVanished)
            }
            guard try row.decode(String.self, "fingerprint") == command.fingerprint.digest else {
                let stored = try row.decode(String.self, "request_fields")
                throw WalletError.idempotencyKeyReused(mismatchedFields: command.fingerprint.mismatchedFields(against: stored))
            }
            guard let status = try row.decode(Int?.self, "response_status"), let body = try row.decode([UInt8]?.self, "response_body") else {
                throw WalletError.idempotencyKeyInUse
            }
            return .answered(StoredResponse(status: status, body: body))
        }
    }

    /// Stores each response under its command's key, which this transaction claimed at `now`.
    static func store(_ responses: [StoredResponse], for commands: [MovementCommand], at now: Date, on connection: MariaDBConnection) throws {
        precondition(responses.count == commands.count, "one response per command")
        for chunk in MultiRowStatement.chunks(of: Array(zip(commands, responses))) {
            let result = try connection.execute(
                SQL.storeResponses.text(rows: chunk.count),
                chunk.flatMap { command, response -> [MariaDBValue] in
                    [
                        .string(command.principal.rawValue), .string(command.claimedKey.rawValue),
                        .string(command.fingerprint.digest), .string(command.fingerprint.canonicalFields), .date(now),
                        .int(Int64(response.status)), .bytes(response.body),
                    ]
                }
            )
            guard result.affectedRows == 2 * UInt64(chunk.count) else {
                throw MariaDBError(
                    kind: .client,
                    message: "storing \(chunk.count) responses under claimed idempotency keys touched \(result.affectedRows) rows, not \(2 * chunk.count)"
                )
            }
        }
    }
}

extension MovementCommand {
    /// The key of a movement that claims one; only movements with a key come to ``IdempotencyRecords``.
    fileprivate var claimedKey: IdempotencyKey {
        guard let idempotencyKey else { preconditionFailure("only a movement with an idempotency key claims one") }
        return idempotencyKey
    }
}
