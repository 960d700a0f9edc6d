import Foundation
import MariaDB

/// Writes events in the transaction of the change they describe: committed with it or not at all, so that no
/// crash can lose one or invent one. They wait there without a feed position until the ``EventSequencer`` gives
/// them one.
struct EventOutbox: Sendable {
    /// Every SQL statement of the outbox.
    enum SQL {
        static let insertEvents = MultiRowStatement(
            prefix: "INSERT INTO events (id, owner_id, type, data, created_at) VALUES ", row: "(?, ?, ?, ?, ?)")
    }

    let renderer: any EventDataRenderer

    /// The event of a new `wallet`, for its owner.
    func events(ofCreated wallet: Wallet) -> [Event] {
        [Self.event(wallet.ownerID, .walletCreated, renderer.data(of: wallet), at: wallet.createdAt)]
    }

    /// The events of a committed `transaction`: one for each owner of a wallet it touched, in owner order, each
    /// with the transaction as that owner reads it; a capture adds the captured `hold` for its owner.
    func events(ofCommitted transaction: LedgerTransaction, capturing hold: Hold? = nil, holdOwner: PrincipalID? = nil) -> [Event] {
        let type: EventType = transaction.reverses == nil ? .transactionCommitted : .transactionReversed
        let owners = Set(transaction.entries.compactMap(\.owner)).sorted { $0.rawValue < $1.rawValue }
        var events = owners.map { Self.event($0, type, renderer.data(of: transaction, viewer: $0), at: transaction.createdAt) }
        if let hold, let holdOwner {
            events.append(Self.event(holdOwner, .holdCaptured, renderer.data(of: hold), at: transaction.createdAt))
        }
        return events
    }

    /// The event of a hold placed, voided or expired (`operation`), for the owner of its wallet.
    func events(of hold: Hold, by operation: MovementOperation, owner: PrincipalID, at now: Date) -> [Event] {
        let type: EventType
        switch operation {
        case .hold: type = .holdCreated
        case .void: type = .holdVoided
        case .expire: type = .holdExpired
        default: preconditionFailure("\(operation) leaves no hold without a transaction")
        }
        return [Self.event(owner, type, renderer.data(of: hold), at: now)]
    }

    /// Inserts `events` in order (so their sequence numbers follow it), many per statement.
    static func insert(_ events: [Event], on connection: MariaDBConnection) throws {
        for chunk in MultiRowStatement.chunks(of: events) {
            try connection.execute(
                SQL.insertEvents.text(rows: chunk.count),
                chunk.flatMap { event -> [MariaDBValue] in
                    [
                        .string(event.id.rawValue), .string(event.ownerID.rawValue), .string(event.type.rawValue), .bytes(event.data),
                        .date(event.createdAt),
                    ]
                }
            )
        }
    }

    private static func event(_ owner: PrincipalID, _ type: EventType, _ data: [UInt8], at createdAt: Date) -> Event {
        Event(id: .generate(at: createdAt), ownerID: owner, type: type, data: data, createdAt: createdAt, position: nil)
    }
}
