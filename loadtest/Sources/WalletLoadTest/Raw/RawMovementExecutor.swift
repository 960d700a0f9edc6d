#if canImport(Glibc)
import Glibc
#endif
import MariaDB

/// What a team would write itself, the baseline the service is measured against: each deposit, withdrawal or
/// transfer is one REPEATABLE READ transaction on the ``RawSchema`` tables that claims its key, reads its wallets,
/// writes each with a version compare-and-set, inserts its entries and commits; a conflict (0 rows, 1213, 1205,
/// 1020) rolls back and runs it again after a short jittered wait, a bounded number of times. Prepared statements on
/// the project's MariaDB client; no WalletCore, no HTTP.
struct RawMovementExecutor: MovementExecutor {
    /// Attempts of one movement before it is answered as contention (the service's own bound).
    static let maximumAttempts = 10
    /// The wait before the second attempt, doubled for each later one up to ``longestBackoffMicroseconds``.
    static let firstBackoffMicroseconds: UInt32 = 2_000
    static let longestBackoffMicroseconds: UInt32 = 100_000

    let pool: MariaDBConnectionPool
    let population: RawPopulation

    /// A leg: the wallet (nil for the external account) and its signed amount.
    private struct Leg: Sendable {
        let wallet: String?
        let amount: Int64
    }

    /// The movement's transaction rolled back for a conflict: run it again.
    private struct Conflict: Error {}

    func attempt(_ movement: PlannedMovement) async -> MovementAnswer {
        let wallet = population.walletIDs[movement.wallet]
        let amount = movement.amount
        let legs: [Leg]
        switch movement.kind {
        case .deposit: legs = [Leg(wallet: nil, amount: -amount), Leg(wallet: wallet, amount: amount)]
        case .withdrawal: legs = [Leg(wallet: wallet, amount: -amount), Leg(wallet: nil, amount: amount)]
        case .transfer: legs = [Leg(wallet: wallet, amount: -amount), Leg(wallet: population.walletIDs[movement.destination!], amount: amount)]
        default: return .rejected(status: 400, code: "not_in_the_raw_baseline")
        }
        let key = movement.key
        do {
            return try await pool.withConnection { connection in try Self.move(legs, key: key, on: connection) }
        } catch let error as MariaDBError where error.kind == .connection || error.kind == .acquireTimeout || error.kind == .poolClosed {
            return .uncertain(reason: "503 unavailable", retryAfterSeconds: nil)
        } catch {
            return .uncertain(reason: "500 \(error)", retryAfterSeconds: nil)
        }
    }

    /// Runs the movement's transaction until it commits, is refused, finds its key claimed, or runs out of attempts.
    private static func move(_ legs: [Leg], key: String, on connection: MariaDBConnection) throws -> MovementAnswer {
        var backoff = firstBackoffMicroseconds
        for _ in 0..<maximumAttempts {
            do {
                return try connection.withTransaction(.repeatableRead) { connection in try transaction(legs, key: key, on: connection) }
            } catch is Conflict {
            } catch let error as MariaDBError where error.isTransientConflict {
            } catch let error as MariaDBError where error.kind == .duplicateKey {
                // The key was claimed before: answer with what it holds.
                return try replay(key, on: connection)
            }
            // Blocking is fine here: this is one of the pool's own threads, not the concurrency pool.
            usleep(UInt32.random(in: backoff / 2...backoff))
            backoff = min(backoff * 2, longestBackoffMicroseconds)
        }
        return .uncertain(reason: "503 contention", retryAfterSeconds: nil)
    }

    private static func transaction(_ legs: [Leg], key: String, on connection: MariaDBConnection) throws -> MovementAnswer {
        let claim = try connection.execute("INSERT INTO raw_transactions (idempotency_key) VALUES (?)", [.string(key)])
        let transactionID = Int64(claim.lastInsertID)
        let wallets = legs.compactMap(\.wallet).sorted()
        let placeholders = Array(repeating: "?", count: wallets.count).joined(separator: ", ")
        let rows = try connection.execute(
            "SELECT id, balance, version FROM raw_wallets WHERE id IN (\(placeholders))", wallets.map { .string($0) }
        ).rows
        var state: [String: (balance: Int64, version: Int64)] = [:]
        for row in rows { state[try row.decode(String.self, at: 0)] = (try row.decode(Int64.self, at: 1), try row.decode(Int64.self, at: 2)) }
        precondition(state.count == wallets.count, "every wallet of the run exists")
        for leg in legs {
            guard let wallet = leg.wallet, leg.amount < 0 else { continue }
            if state[wallet]!.balance + leg.amount < 0 {
                try connection.execute("UPDATE raw_transactions SET refusal = 'insufficient_funds' WHERE id = ?", [.int(transactionID)])
                return .refused(code: "insufficient_funds", replayed: false)
            }
        }
        var balanceAfter: [String: Int64] = [:]
        for wallet in wallets {
            let balance = state[wallet]!.balance + legs.filter { $0.wallet == wallet }.reduce(0) { $0 + $1.amount }
            let written = try connection.execute(
                "UPDATE raw_wallets SET balance = ?, version = version + 1 WHERE id = ? AND version = ?",
                [.int(balance), .string(wallet), .int(state[wallet]!.version)])
            guard written.affectedRows == 1 else { throw Conflict() }
            balanceAfter[wallet] = balance
        }
        let values = Array(repeating: "(?, ?, ?, ?)", count: legs.count).joined(separator: ", ")
        try connection.execute(
            "INSERT INTO raw_entries (transaction_id, wallet_id, amount, balance_after) VALUES " + values,
            legs.flatMap { leg -> [MariaDBValue] in
                [.int(transactionID), leg.wallet.map { .string($0) } ?? .null, .int(leg.amount), leg.wallet.flatMap { balanceAfter[$0] }.map { .int($0) } ?? .null]
            })
        let entries = legs.map { Acknowledgement.Entry(walletID: $0.wallet, amount: $0.amount, balanceAfter: $0.wallet.flatMap { balanceAfter[$0] }) }
        return .acknowledged(Acknowledgement(transactionID: String(transactionID), entries: entries), replayed: false)
    }

    /// The answer a claimed key holds: its refusal, or its transaction with its entries. The claim is committed (the
    /// duplicate-key error waits for the claiming transaction to end).
    private static func replay(_ key: String, on connection: MariaDBConnection) throws -> MovementAnswer {
        guard let claim = try connection.execute("SELECT id, refusal FROM raw_transactions WHERE idempotency_key = ?", [.string(key)]).rows.first else {
            return .uncertain(reason: "409 idempotency_key_in_use", retryAfterSeconds: nil)
        }
        let transactionID = try claim.decode(Int64.self, at: 0)
        if let refusal = try claim.decode(String?.self, at: 1) { return .refused(code: refusal, replayed: true) }
        let entries = try connection.execute(
            "SELECT wallet_id, amount, balance_after FROM raw_entries WHERE transaction_id = ? ORDER BY id", [.int(transactionID)]
        ).rows.map { row in
            Acknowledgement.Entry(
                walletID: try row.decode(String?.self, at: 0), amount: try row.decode(Int64.self, at: 1),
                balanceAfter: try row.decode(Int64?.self, at: 2))
        }
        return .acknowledged(Acknowledgement(transactionID: String(transactionID), entries: entries), replayed: true)
    }
}
