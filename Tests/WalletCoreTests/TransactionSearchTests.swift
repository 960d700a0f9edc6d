import Foundation
import MariaDB
import TestSupport
import Testing

@testable import WalletCore

/// The transaction search against MariaDB: every filter and every combination of them against a model of the
/// ledger, paging, and who sees what.
@Suite("Transaction search against MariaDB")
struct TransactionSearchTests {
    /// The ledger as the test derives it from the entries themselves: which transaction each entry belongs to, its
    /// wallet and time, and what the test knows of each transaction (type, reference) and wallet (owner).
    struct Model {
        struct Entry {
            let id: Int64
            let transaction: TransactionID
            let wallet: WalletID?
            let createdAt: Date
        }

        var entries: [Entry] = []
        var types: [TransactionID: TransactionType] = [:]
        var references: [TransactionID: String] = [:]
        var owners: [WalletID: PrincipalID] = [:]

        /// What a search by `viewer` for `filter` must return, in order: each transaction with an entry on the
        /// viewer's wallets (or on the filter's wallet), placed at its last such entry, newest first.
        func expected(visibleTo viewer: PrincipalID, matching filter: TransactionFilter) -> [TransactionID] {
            var listed: [TransactionID: Entry] = [:]
            for entry in entries {
                guard let wallet = entry.wallet else { continue }
                let counts = filter.walletID.map { $0 == wallet } ?? (owners[wallet] == viewer)
                if counts, entry.id > listed[entry.transaction]?.id ?? 0 { listed[entry.transaction] = entry }
            }
            return listed.values
                .filter { entry in
                    filter.type.map { types[entry.transaction] == $0 } ?? true
                        && (filter.reference.map { references[entry.transaction] == $0.rawValue } ?? true)
                        && (filter.createdAfter.map { entry.createdAt > $0 } ?? true)
                        && (filter.createdBefore.map { entry.createdAt < $0 } ?? true)
                }
                .sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
                .map(\.transaction)
        }

        /// Reads every entry of the ledger.
        mutating func readEntries(_ context: WalletTestContext) async throws {
            entries = try await context.sql("SELECT id, transaction_id, wallet_id, created_at FROM entries ORDER BY id").map { row in
                Entry(
                    id: try row.decode(Int64.self, "id"),
                    transaction: TransactionID(try row.decode(String.self, "transaction_id"))!,
                    wallet: try row.decode(String?.self, "wallet_id").flatMap(WalletID.init),
                    createdAt: try row.decode(Date.self, "created_at")
                )
            }
        }
    }

    /// Every page of a search, following the cursors (at most `maximumPages`).
    static func allPages(
        _ context: WalletTestContext,
        visibleTo viewer: PrincipalID,
        matching filter: TransactionFilter,
        pageSize: Int,
        maximumPages: Int = 50
    ) async throws -> [LedgerTransaction] {
        var found: [LedgerTransaction] = []
        var cursor: EntryCursor?
        for _ in 0..<maximumPages {
            let page = try await context.service.search.transactions(visibleTo: viewer, matching: filter, pageSize: PageSize(pageSize)!, after: cursor)
            #expect(page.transactions.count <= pageSize)
            #expect(page.nextCursor == nil || page.transactions.count == pageSize, "only a full page has a next one")
            found += page.transactions
            guard let next = page.nextCursor else { return found }
            cursor = next
        }
        Issue.record("more than \(maximumPages) pages")
        return found
    }

    @Test func everyCombinationOfFiltersFindsWhatTheLedgerHoldsInOrder() async throws {
        try await WalletTestContext.run { context in
            let alice = try await context.makeUser()
            let bob = try await context.makeUser()
            let viewer = PrincipalID.user(alice.id)
            let a = try await context.makeWallet(for: alice, balance: 10_000)
            let b = try await context.makeWallet(for: alice, balance: 5_000)
            let c = try await context.makeWallet(for: alice, currency: "EUR", balance: 7_000)
            let d = try await context.makeWallet(for: bob, balance: 8_000)
            var model = Model(owners: [a.id: viewer, b.id: viewer, c.id: viewer, d.id: .user(bob.id)])
            var made: [LedgerTransaction] = []
            let movements: [(MovementRequest, UserID)] = [
                (.transfer(from: a.id, to: b.id, amount: .of(1_000)), alice.id),
                (.transfer(from: a.id, to: d.id, amount: .of(700)), alice.id),
                (.transfer(from: d.id, to: a.id, amount: .of(300)), bob.id),
                (.withdrawal(wallet: b.id, amount: .of(200)), alice.id),
                (.deposit(wallet: d.id, amount: .of(50)), bob.id),
                (.transfer(from: b.id, to: a.id, amount: .of(400)), alice.id),
                (.withdrawal(wallet: c.id, amount: .of(100)), alice.id),
            ]
            for (request, user) in movements { made.append(try #require(try await context.execute(request, by: user).transaction)) }
            for (wallet, reference, user) in [(a, "ord_1", alice.id), (b, "ord_1", alice.id), (c, "ord_2", alice.id), (d, "ord_1", bob.id), (a, "ord_3", alice.id)] {
                let deposit = try await context.execute(
                    .deposit(wallet: wallet.id, amount: .of(25)), details: MovementDetails(reference: MovementReference(reference)), by: user)
                model.references[try #require(deposit.transaction).id] = reference
            }
            for row in try await context.sql("SELECT id, type FROM transactions") {
                model.types[TransactionID(try row.decode(String.self, "id"))!] = TransactionType(rawValue: try row.decode(String.self, "type"))!
            }
            try await model.readEntries(context)

            // Exclusive bounds at the exact times of listed entries: the entry at the bound itself is left out.
            let times = model.expected(visibleTo: viewer, matching: .init()).compactMap { id in model.entries.last { $0.transaction == id }?.createdAt }
            #expect(times.count == 13, "3 funding deposits, 6 movements and 4 detailed deposits on alice's wallets: \(times.count)")
            let (early, late) = (times[times.count - 4], times[3])
            var combinations = 0
            for wallet in [nil, a.id, b.id, c.id] {
                for type in [nil] + TransactionType.allCases {
                    for reference in [nil, "ord_1", "ord_2"] {
                        for (after, before) in [(nil, nil), (early, nil), (nil, late), (early, late)] as [(Date?, Date?)] {
                            let filter = TransactionFilter(
                                walletID: wallet, type: type, reference: reference.flatMap(MovementReference.init),
                                createdAfter: after, createdBefore: before
                            )
                            let found = try await Self.allPages(context, visibleTo: viewer, matching: filter, pageSize: 2)
                            #expect(found.map(\.id) == model.expected(visibleTo: viewer, matching: filter), "\(filter)")
                            combinations += 1
                        }
                    }
                }
            }
            #expect(combinations == 4 * (1 + TransactionType.allCases.count) * 3 * 4)
            // The model agrees with what the movements themselves say: alice sees each transaction on her wallets once.
            let all = try await Self.allPages(context, visibleTo: viewer, matching: .init(), pageSize: 3)
            let hers = made.filter { $0.entries.contains { $0.owner == viewer } }
            #expect(Set(hers.map(\.id)).isSubset(of: Set(all.map(\.id))))
            #expect(all.count == Set(all.map(\.id)).count, "no transaction twice, not even a transfer between her own wallets")
            #expect(all.allSatisfy { $0.entries.contains { $0.owner == viewer } }, "nothing that touches none of her wallets")
            #expect(!all.contains { $0.id == made[4].id }, "bob's deposit into his own wallet is not hers")
        }
    }

    @Test func anotherPrincipalsWalletOrCursorFindsNothingOfTheirs() async throws {
        try await WalletTestContext.run { context in
            let alice = try await context.makeUser()
            let bob = try await context.makeUser()
            _ = try await context.makeWallet(for: alice, balance: 100)
            let bobs = try await context.makeWallet(for: bob, balance: 100)
            for _ in 0..<3 { try await context.execute(.deposit(wallet: bobs.id, amount: .of(1)), by: bob.id) }
            await #expect {
                try await context.service.search.transactions(visibleTo: .user(alice.id), matching: .init(walletID: bobs.id))
            } throws: { ($0 as? WalletError)?.caseName == "walletNotFound" }
            await #expect {
                try await context.service.search.transactions(visibleTo: .user(alice.id), matching: .init(walletID: .generate()))
            } throws: { ($0 as? WalletError)?.caseName == "walletNotFound" }
            let bobsPage = try await context.service.search.transactions(visibleTo: .user(bob.id), matching: .init(), pageSize: PageSize(2)!)
            let cursor = try #require(bobsPage.nextCursor)
            let page = try await context.service.search.transactions(visibleTo: .user(alice.id), matching: .init(), after: cursor)
            #expect(page.transactions.isEmpty && page.nextCursor == nil, "a cursor on bob's entry starts no page of alice's")
            let unknown = try await context.service.search.transactions(
                visibleTo: .user(bob.id), matching: .init(), after: EntryCursor(lastSequence: 1 << 40)
            )
            #expect(unknown.transactions.isEmpty && unknown.nextCursor == nil)
        }
    }

    @Test func followingTheCursorsVisitsEveryTransactionOnceWhileNewOnesArrive() async throws {
        try await WalletTestContext.run { context in
            let alice = try await context.makeUser()
            let wallet = try await context.makeWallet(for: alice)
            let other = try await context.makeWallet(for: alice)
            var before: [TransactionID] = []
            for index in 0..<9 {
                let request: MovementRequest =
                    index % 3 == 2 ? .transfer(from: wallet.id, to: other.id, amount: .of(1)) : .deposit(wallet: wallet.id, amount: .of(10))
                before.append(try #require(try await context.execute(request, by: alice.id).transaction).id)
            }
            var seen: [TransactionID] = []
            var cursor: EntryCursor?
            for _ in 0..<20 {
                let page = try await context.service.search.transactions(visibleTo: .user(alice.id), matching: .init(), pageSize: PageSize(2)!, after: cursor)
                seen += page.transactions.map(\.id)
                // New movements between pages land above the first page, never on a later one.
                try await context.execute(.deposit(wallet: wallet.id, amount: .of(1)), by: alice.id)
                try await context.execute(.transfer(from: wallet.id, to: other.id, amount: .of(1)), by: alice.id)
                guard let next = page.nextCursor else { break }
                cursor = next
            }
            #expect(seen == before.reversed(), "newest first, each once")
        }
    }
}
