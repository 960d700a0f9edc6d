import Foundation
import Testing

@testable import WalletCore

@Suite("Wallet reads against MariaDB")
struct WalletReadTests {
    @Test func aNewWalletIsEmpty() async throws {
        try await WalletTestContext.run { context in
            let user = try await context.makeUser()
            let wallet = try await context.service.wallets.create(owner: .user(user.id), currency: Currency(code: "EUR")!)
            #expect(wallet.id.rawValue.hasPrefix("wal_"))
            #expect(wallet.balance == 0 && wallet.version == 0 && wallet.currency.code == "EUR")
            #expect(wallet.createdAt == wallet.updatedAt)
            // What create returns is exactly what a read returns, timestamps included.
            #expect(try await context.service.wallets.wallet(wallet.id, ownedBy: .user(user.id)) == wallet)
        }
    }

    @Test func walletListsArePagedInIdOrderAndEveryWalletIsSeenOnce() async throws {
        try await WalletTestContext.run { context in
            let owner = try await context.makeUser()
            var created: [WalletID] = []
            for _ in 0..<5 { created.append(try await context.makeWallet(for: owner).id) }
            _ = try await context.makeWallet(for: try await context.makeUser())
            var seen: [WalletID] = []
            var cursor: WalletID?
            var pages = 0
            repeat {
                let page = try await context.service.wallets.wallets(ownedBy: .user(owner.id), pageSize: PageSize(2)!, after: cursor)
                #expect(page.wallets.count <= 2)
                seen += page.wallets.map(\.id)
                cursor = page.nextCursor
                pages += 1
            } while cursor != nil && pages < 10
            #expect(pages == 3)
            #expect(seen == created.sorted())
            let last = try await context.service.wallets.wallets(ownedBy: .user(owner.id), pageSize: PageSize(5)!)
            #expect(last.nextCursor == nil, "a full last page has no next cursor")
        }
    }

    @Test func usersSeeOnlyTheirOwnWallets() async throws {
        try await WalletTestContext.run { context in
            let alice = try await context.makeUser()
            let bob = try await context.makeUser()
            let first = try await context.makeWallet(for: alice)
            let second = try await context.makeWallet(for: alice, currency: "JPY")
            let bobs = try await context.makeWallet(for: bob)
            let all = PageSize.largest
            #expect(try await context.service.wallets.wallets(ownedBy: .user(alice.id), pageSize: all).wallets.map(\.id) == [first.id, second.id].sorted())
            #expect(try await context.service.wallets.wallets(ownedBy: .user(bob.id), pageSize: all).wallets.map(\.id) == [bobs.id])
            await #expect {
                try await context.service.wallets.wallet(bobs.id, ownedBy: .user(alice.id))
            } throws: { error in
                guard case WalletError.walletNotFound = error else { return false }
                return true
            }
            await #expect {
                try await context.service.wallets.wallet(.generate(), ownedBy: .user(alice.id))
            } throws: { error in
                guard case WalletError.walletNotFound = error else { return false }
                return true
            }
            await #expect {
                try await context.service.wallets.entries(of: bobs.id, ownedBy: .user(alice.id))
            } throws: { error in
                guard case WalletError.walletNotFound = error else { return false }
                return true
            }
        }
    }

    @Test func aTransactionIsVisibleToTheOwnersOfTheWalletsItTouches() async throws {
        try await WalletTestContext.run { context in
            let alice = try await context.makeUser()
            let bob = try await context.makeUser()
            let carol = try await context.makeUser()
            let source = try await context.makeWallet(for: alice, balance: 1000)
            let destination = try await context.makeWallet(for: bob)
            let result = try await context.execute(.transfer(from: source.id, to: destination.id, amount: .of(300)), by: alice.id)
            guard case .completed(let transaction)? = result.outcome else {
                Issue.record("the transfer did not complete")
                return
            }
            #expect(try await context.service.wallets.transaction(transaction.id, visibleTo: .user(alice.id)) == transaction)
            #expect(try await context.service.wallets.transaction(transaction.id, visibleTo: .user(bob.id)) == transaction)
            for (id, viewer) in [(transaction.id, carol.id), (TransactionID.generate(), alice.id)] {
                await #expect {
                    try await context.service.wallets.transaction(id, visibleTo: .user(viewer))
                } throws: { error in
                    guard case WalletError.transactionNotFound = error else { return false }
                    return true
                }
            }
        }
    }

    @Test func historyPagesGoNewestFirstAndEndWithoutACursor() async throws {
        try await WalletTestContext.run { context in
            let user = try await context.makeUser()
            let wallet = try await context.makeWallet(for: user)
            for amount in 1...25 {
                try await context.execute(.deposit(wallet: wallet.id, amount: .of(Int64(amount))), by: user.id)
            }
            var pages: [EntryPage] = []
            var cursor: EntryCursor?
            repeat {
                let page = try await context.service.wallets.entries(of: wallet.id, ownedBy: .user(user.id), pageSize: PageSize(10)!, after: cursor)
                pages.append(page)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(pages.map(\.entries.count) == [10, 10, 5])
            let entries = pages.flatMap(\.entries)
            #expect(entries.map(\.amount) == (1...25).reversed().map { Int64($0) })
            #expect(entries.first?.balanceAfter == (1...25).reduce(0, +))
            #expect(entries.allSatisfy { $0.type == .deposit })
            // The default page is 20 entries.
            #expect(try await context.service.wallets.entries(of: wallet.id, ownedBy: .user(user.id)).entries.count == 20)
            // A page that ends exactly at the oldest entry has no next cursor.
            let exact = try await context.service.wallets.entries(of: wallet.id, ownedBy: .user(user.id), pageSize: PageSize(25)!)
            #expect(exact.entries.count == 25 && exact.nextCursor == nil)
        }
    }
}
