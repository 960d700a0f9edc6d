import Foundation
import Testing

@testable import WalletCore

@Suite("Identifiers")
struct IdentifierTests {
    @Test func generatedIdsHaveTheirKindsPrefixAndParseBack() {
        let wallet = WalletID.generate()
        let user = UserID.generate()
        let transaction = TransactionID.generate()
        #expect(wallet.rawValue.hasPrefix("wal_"))
        #expect(user.rawValue.hasPrefix("usr_"))
        #expect(transaction.rawValue.hasPrefix("txn_"))
        for id in [wallet.rawValue, user.rawValue, transaction.rawValue] {
            #expect(id.utf8.count == 4 + 26)
        }
        #expect(WalletID(wallet.rawValue) == wallet)
        #expect(UserID(user.rawValue) == user)
        #expect(TransactionID(transaction.rawValue) == transaction)
    }

    @Test func idsAreUnique() {
        let ids = Set((0..<10_000).map { _ in WalletID.generate(at: Date(timeIntervalSince1970: 1_700_000_000)) })
        #expect(ids.count == 10_000)
    }

    @Test func idsSortByCreationTime() {
        let earlier = WalletID.generate(at: Date(timeIntervalSince1970: 1_700_000_000))
        let later = WalletID.generate(at: Date(timeIntervalSince1970: 1_700_000_000.002))
        #expect(earlier < later)
        #expect(earlier.rawValue < later.rawValue)
    }

    @Test func anIdOfAnotherKindIsNotAnId() {
        let wallet = WalletID.generate()
        #expect(UserID(wallet.rawValue) == nil)
        #expect(TransactionID(wallet.rawValue) == nil)
    }

    @Test(arguments: [
        "", "wal_", "wal", "wal_0123456789abcdefghjkmnpqr", "wal_0123456789abcdefghjkmnpqrst",
        "WAL_0123456789abcdefghjkmnpqrs", "wal_0123456789ABCDEFGHJKMNPQRS", "wal_0123456789abcdefghjkmnpqri",
        "wal_0123456789abcdefghjkmnpqrl", "wal_0123456789abcdefghjkmnpqro", "wal_0123456789abcdefghjkmnpqru",
        "wal_4123456789abcdefghjkmnpqrs", "wal-0123456789abcdefghjkmnpqrs", "wal_0123456789abcdefghjkmnpqr\u{e9}",
    ])
    func malformedIdsAreRejected(text: String) {
        #expect(WalletID(text) == nil)
    }

    @Test func aWellFormedIdIsAccepted() {
        #expect(WalletID("wal_0123456789abcdefghjkmnpqrs") != nil)
        #expect(WalletID("wal_3zzzzzzzzzzzzzzzzzzzzzzzzz") != nil)
    }
}
