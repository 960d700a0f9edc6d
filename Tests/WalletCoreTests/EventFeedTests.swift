import Foundation
import MariaDB
import Synchronization
import TestSupport
import Testing

@testable import WalletCore

/// The outbox and the feed against MariaDB: events commit with their changes, get positions in commit order with
/// none left out, and a consumer that follows the cursor sees each of its events once.
@Suite("Event outbox and feed against MariaDB", .serialized)
struct EventFeedTests {
    /// Rounds until one finds nothing left to sequence (bounded).
    private func sequenceAll(_ sequencer: EventSequencer) async throws -> Int {
        var total = 0
        for _ in 0..<100 {
            let round = try await sequencer.sequence()
            #expect(round.holdsLease)
            total += round.sequenced
            if round.sequenced < sequencer.batchSize { return total }
        }
        Issue.record("the sequencer never caught up")
        return total
    }

    /// Every page of `owner`'s feed from the beginning, following the cursor (bounded).
    private func readAll(_ owner: PrincipalID, after start: EventCursor? = nil, in context: WalletTestContext) async throws -> (
        events: [Event], cursor: EventCursor?
    ) {
        var events: [Event] = []
        var cursor = start
        for _ in 0..<1_000 {
            let page = try await context.service.events.page(for: owner, after: cursor, pageSize: PageSize(7)!)
            events += page.events
            cursor = page.nextCursor
            if !page.hasMore { return (events, cursor) }
        }
        Issue.record("the feed never ended")
        return (events, cursor)
    }

    private func eventTypes(of owner: PrincipalID, in context: WalletTestContext) async throws -> [String] {
        try await context.sql("SELECT type FROM events WHERE owner_id = '\(owner)' ORDER BY sequence").map { try $0.decode(String.self, "type") }
    }

    private func json(_ event: Event) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(event.data)) as? [String: Any])
    }

    @Test func aConsumerFollowingTheCursorSeesAnEventThatCommittedAfterLaterOnesExactlyOnce() async throws {
        try await WalletTestContext.run { context in
            let alice = try await context.makeUser()
            let owner = PrincipalID.user(alice.id)
            let wallet = try await context.makeWallet(for: alice, balance: 100)
            let sequencer = context.service.eventSequencer(named: "gap-test")
            #expect(try await sequenceAll(sequencer) == 2, "wallet.created and the deposit")
            // A transaction in flight (a wallet being opened): its event is inserted, and has its sequence number, but
            // is not committed.
            let opening = WalletID.generate()
            let inFlight = try await offload { () -> MariaDBConnection in
                let connection = try MariaDBConnection.connect(context.configuration)
                try connection.query("START TRANSACTION")
                try connection.query(
                    "INSERT INTO wallets (id, owner_id, currency, balance, version, created_at, updated_at) VALUES ('\(opening)', '\(owner)', 'USD', 0, 0, NOW(6), NOW(6))")
                try connection.query(
                    "INSERT INTO events (id, owner_id, type, data, created_at) VALUES ('\(EventID.generate())', '\(owner)', 'wallet.created', '{\"id\":\"\(opening)\"}', NOW(6))")
                return connection
            }
            let heldSequence = try #require(try await context.sql("SELECT MAX(sequence) AS s FROM events").first).decode(Int64?.self, "s")
            #expect(heldSequence != nil, "the uncommitted event is not visible to others")
            // Later movements commit while it is open.
            for _ in 0..<3 { try await context.execute(.deposit(wallet: wallet.id, amount: .of(5)), by: alice.id) }
            #expect(try await sequenceAll(sequencer) == 3, "only the committed events get positions")
            let first = try await readAll(owner, in: context)
            #expect(first.events.count == 5)
            #expect(first.events.filter { $0.type == .walletCreated }.count == 1, "only the committed wallet's")
            let lastSequenceSeen = try #require(try await context.sql("SELECT MAX(sequence) AS s FROM events").first).decode(Int64.self, "s")
            // A reader paging by sequence would now be past the open transaction's event, and never see it.
            let openSequence = try #require(
                try await offload { try inFlight.query("SELECT MAX(sequence) AS s FROM events WHERE type = 'wallet.created'").first }
            ).decode(Int64.self, "s")
            #expect(openSequence < lastSequenceSeen)
            try await offload {
                try inFlight.query("COMMIT")
                inFlight.close()
            }
            #expect(try await sequenceAll(sequencer) == 1)
            let second = try await readAll(owner, after: first.cursor, in: context)
            #expect(second.events.map(\.type) == [.walletCreated], "the late commit comes after what was read, exactly once")
            let third = try await readAll(owner, after: second.cursor, in: context)
            #expect(third.events.isEmpty && third.cursor == second.cursor, "an empty page keeps the cursor")
            // From the beginning again: every event once, in strictly increasing positions.
            let all = try await readAll(owner, in: context)
            #expect(all.events.count == 6)
            #expect(Set(all.events.map(\.id)).count == 6)
            #expect(zip(all.events, all.events.dropFirst()).allSatisfy { $0.position! < $1.position! })
            let report = try await context.service.auditor.run()
            #expect(report.isClean, "\(report)")
        }
    }

    @Test func concurrentMovementsAndTwoSequencersGiveEveryEventOnePositionInEachWalletsCommitOrder() async throws {
        try await WalletTestContext.run { context in
            let users = [try await context.makeUser(), try await context.makeUser(), try await context.makeUser()]
            var wallets: [Wallet] = []
            for user in users {
                wallets.append(try await context.makeWallet(for: user, balance: 10_000))
                wallets.append(try await context.makeWallet(for: user, balance: 10_000))
            }
            let stop = StopFlag()
            let sequencers = [context.service.eventSequencer(named: "racer-a"), context.service.eventSequencer(named: "racer-b")]
            let leases = try await withThrowingTaskGroup(of: Int.self) { group in
                for sequencer in sequencers {
                    group.addTask {
                        var held = 0
                        // Bounded: the movements finish long before.
                        for _ in 0..<20_000 where !stop.isSet {
                            if try await sequencer.sequence().holdsLease { held += 1 }
                            try await Task.sleep(for: .milliseconds(2))
                        }
                        return held
                    }
                }
                try await withThrowingTaskGroup(of: Void.self) { movers in
                    for index in 0..<240 {
                        let source = wallets[index % wallets.count]
                        let destination = wallets[(index * 7 + 1) % wallets.count]
                        let user = users.first { PrincipalID.user($0.id) == source.ownerID }!
                        movers.addTask {
                            let request: MovementRequest =
                                index % 3 == 0 || source.id == destination.id
                                ? .deposit(wallet: source.id, amount: .of(3))
                                : .transfer(from: source.id, to: destination.id, amount: .of(Int64(1 + index % 11)))
                            _ = try? await context.execute(request, by: user.id)
                        }
                    }
                    try await movers.waitForAll()
                }
                stop.set()
                var leases: [Int] = []
                for try await held in group { leases.append(held) }
                return leases
            }
            #expect(leases.filter { $0 > 0 }.count == 1, "one sequencer held the lease throughout: \(leases)")
            let holder = try #require(try await context.sql("SELECT sequencer FROM event_feed").first).decode(String.self, "sequencer")
            _ = try await sequenceAll(sequencers.first { $0.name == holder }!)
            let positions = try await context.sql("SELECT position FROM events ORDER BY position").map { try $0.decode(Int64?.self, "position") }
            #expect(positions.allSatisfy { $0 != nil }, "every committed event has a position")
            #expect(positions.compactMap { $0 } == Array(1...Int64(positions.count)), "positions 1 to n, none left out")
            // Each owner's feed shows each of its wallets' transactions in the order of the wallet's entries.
            for user in users {
                let owner = PrincipalID.user(user.id)
                let feed = try await readAll(owner, in: context).events.filter { $0.type == .transactionCommitted }
                for wallet in wallets where wallet.ownerID == owner {
                    let committed = try await context.sql(
                        "SELECT transaction_id FROM entries WHERE wallet_id = '\(wallet.id)' ORDER BY id"
                    ).map { try $0.decode(String.self, "transaction_id") }
                    let shown = try feed.compactMap { event -> String? in
                        let data = try json(event)
                        let legs = data["entries"] as? [[String: Any]] ?? []
                        return legs.contains { $0["wallet_id"] as? String == wallet.id.rawValue } ? data["id"] as? String : nil
                    }
                    #expect(shown == committed, "wallet \(wallet.id): events in commit order")
                }
            }
            let report = try await context.service.auditor.run()
            #expect(report.isClean, "\(report)")
        }
    }

    @Test func aLeaseNotRenewedIsTakenOverAndOnlyItsHolderGivesPositions() async throws {
        try await WalletTestContext.run { context in
            let alice = try await context.makeUser()
            let wallet = try await context.makeWallet(for: alice, balance: 10)
            let first = context.service.eventSequencer(named: "first")
            let second = context.service.eventSequencer(named: "second")
            #expect(try await first.sequence() == .init(holdsLease: true, sequenced: 2))
            try await context.execute(.deposit(wallet: wallet.id, amount: .of(1)), by: alice.id)
            #expect(try await second.sequence() == .init(holdsLease: false, sequenced: 0), "the lease is live")
            #expect(try await context.count("events", where: "position IS NULL") == 1)
            // The first instance dies: its lease runs out.
            try await context.sql("UPDATE event_feed SET lease_expires_at = NOW(6) - INTERVAL 1 SECOND")
            #expect(try await second.sequence() == .init(holdsLease: true, sequenced: 1))
            #expect(try await first.sequence() == .init(holdsLease: false, sequenced: 0))
            #expect(try await context.sql("SELECT MAX(position) AS p FROM events").first!.decode(Int64.self, "p") == 3)
        }
    }

    @Test func eventsPastTheRetentionArePurgedAndACursorBeforeThemHasExpired() async throws {
        try await WalletTestContext.run { context in
            let alice = try await context.makeUser()
            let owner = PrincipalID.user(alice.id)
            let wallet = try await context.makeWallet(for: alice, balance: 10)
            try await context.execute(.deposit(wallet: wallet.id, amount: .of(1)), by: alice.id)
            // Three events before this instant, three after.
            try await Task.sleep(for: .milliseconds(20))
            let split = Date()
            try await Task.sleep(for: .milliseconds(20))
            for _ in 0..<3 { try await context.execute(.deposit(wallet: wallet.id, amount: .of(1)), by: alice.id) }
            _ = try await sequenceAll(context.service.eventSequencer(named: "purge-test"))
            let early = try #require(try await context.service.events.page(for: owner, after: nil, pageSize: PageSize(1)!).nextCursor)
            // A retention of 30 days, 30 days after the split.
            let retention: Duration = .seconds(30 * 86_400)
            let later = split.addingTimeInterval(30 * 86_400)
            #expect(try await context.service.events.purge(olderThan: retention, now: later) == 3)
            #expect(try await context.service.events.purge(olderThan: retention, now: later) == 0, "nothing more is old")
            await #expect(throws: WalletError.self) {
                _ = try await context.service.events.page(for: owner, after: early, pageSize: .default)
            }
            let kept = try await readAll(owner, in: context).events
            #expect(kept.map(\.position) == [4, 5, 6])
            // A cursor at the last purged event missed nothing.
            let atEdge = try await context.service.events.page(for: owner, after: EventCursor(lastPosition: 3), pageSize: .default)
            #expect(atEdge.events.count == 3)
            let report = try await context.service.auditor.run()
            #expect(report.isClean, "\(report)")
        }
    }

    @Test func eachChangeWritesItsEventsForEveryOwnerAndRefusalsAndReplaysWriteNone() async throws {
        try await WalletTestContext.run { context in
            let alice = try await context.makeUser()
            let bob = try await context.makeUser()
            let (a, b) = (PrincipalID.user(alice.id), PrincipalID.user(bob.id))
            let source = try await context.makeWallet(for: alice, balance: 1_000)
            let destination = try await context.makeWallet(for: bob)
            #expect(try await eventTypes(of: a, in: context) == ["wallet.created", "transaction.committed"])
            #expect(try await eventTypes(of: b, in: context) == ["wallet.created"])
            try await context.execute(.transfer(from: source.id, to: destination.id, amount: .of(100)), by: alice.id, key: "transfer-1")
            try await context.execute(.transfer(from: source.id, to: destination.id, amount: .of(100)), by: alice.id, key: "transfer-1")
            let refused = try await context.execute(.withdrawal(wallet: source.id, amount: .of(5_000)), by: alice.id)
            #expect(refused.refusal != nil)
            let hold = try #require(try await context.execute(.placeHold(wallet: source.id, amount: .of(300), expiresIn: .default), by: alice.id).hold)
            try await context.execute(.captureHold(hold.id, amount: .of(200), to: destination.id), by: alice.id)
            let voided = try #require(try await context.execute(.placeHold(wallet: source.id, amount: .of(50), expiresIn: .default), by: alice.id).hold)
            try await context.execute(.voidHold(voided.id), by: alice.id)
            let expiring = try #require(
                try await context.execute(.placeHold(wallet: source.id, amount: .of(20), expiresIn: HoldExpiry(seconds: 1)!), by: alice.id).hold)
            try await Task.sleep(for: .milliseconds(1_100))
            #expect(try await context.service.holdSweeper.sweep().recorded == 1)
            let deposit = try #require(try await context.execute(.deposit(wallet: destination.id, amount: .of(10)), by: bob.id).transaction)
            try await context.execute(.reversal(of: deposit.id, amount: nil, reason: nil), by: bob.id)
            #expect(
                try await eventTypes(of: a, in: context) == [
                    "wallet.created", "transaction.committed", "transaction.committed", "hold.created", "transaction.committed", "hold.captured",
                    "hold.created", "hold.voided", "hold.created", "hold.expired",
                ])
            #expect(
                try await eventTypes(of: b, in: context) == [
                    "wallet.created", "transaction.committed", "transaction.committed", "transaction.committed", "transaction.reversed",
                ])
            // Bob's view of the transfer hides Alice's balance; Alice's shows it.
            _ = try await sequenceAll(context.service.eventSequencer(named: "kinds"))
            let aliceTransfer = try #require(try await readAll(a, in: context).events.dropFirst(2).first)
            let bobTransfer = try #require(try await readAll(b, in: context).events.dropFirst().first)
            #expect(try json(aliceTransfer)["id"] as? String == json(bobTransfer)["id"] as? String)
            let aliceLegs = try json(aliceTransfer)["entries"] as? [[String: Any]] ?? []
            let bobLegs = try json(bobTransfer)["entries"] as? [[String: Any]] ?? []
            #expect(aliceLegs.first { $0["wallet_id"] as? String == source.id.rawValue }?["balance_after"] != nil)
            #expect(bobLegs.first { $0["wallet_id"] as? String == source.id.rawValue }?["balance_after"] == nil)
            #expect(bobLegs.first { $0["wallet_id"] as? String == destination.id.rawValue }?["balance_after"] != nil)
            let expired = try #require(try await readAll(a, in: context).events.last)
            #expect(try json(expired)["id"] as? String == expiring.id.rawValue && json(expired)["status"] as? String == "expired")
        }
    }
}

/// A flag one task sets and others read.
private final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .relaxed) }
    func set() { value.store(true, ordering: .relaxed) }
}
